package dev.strata.models.onnx;

/**
 * One dimension of a graph input or output as declared in the ONNX file: a fixed size, a named
 * dynamic size (dim_param, e.g. "batch") or an unnamed dynamic size.
 */
public record Dim(int size, String symbol) {

    public static Dim fixed(int size) {
        return new Dim(size, null);
    }

    public static Dim named(String symbol) {
        return new Dim(-1, symbol);
    }

    public static Dim dynamic() {
        return new Dim(-1, null);
    }

    public boolean isFixed() {
        return size >= 0;
    }
}
