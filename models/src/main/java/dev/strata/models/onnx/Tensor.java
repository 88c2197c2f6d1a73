package dev.strata.models.onnx;

/**
 * A float32 value of the graph under construction: its ONNX name and its concrete shape at the
 * builder's reference input size (the real graph keeps batch and spatial dims dynamic).
 */
public record Tensor(String name, Shape shape) {

    public int rank() {
        return shape.rank();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }
}
