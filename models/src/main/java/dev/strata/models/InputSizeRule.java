package dev.strata.models;

/** The input heights and widths a graph supports: any size, or multiples of {@code multipleOf}. */
public record InputSizeRule(int multipleOf) {

    private static final String ANY = "any";
    private static final String MULTIPLE_OF = "multiple of ";

    public InputSizeRule {
        if (multipleOf < 1) {
            throw new IllegalArgumentException("multipleOf must be positive, got " + multipleOf);
        }
    }

    public static InputSizeRule any() {
        return new InputSizeRule(1);
    }

    public static InputSizeRule multipleOf(int n) {
        return new InputSizeRule(n);
    }

    public boolean accepts(int height, int width) {
        return height > 0 && width > 0 && height % multipleOf == 0 && width % multipleOf == 0;
    }

    /** Parses {@link #toString()}'s form: "any" or "multiple of N". */
    public static InputSizeRule parse(String text) {
        if (text.equals(ANY)) {
            return any();
        }
        if (text.startsWith(MULTIPLE_OF)) {
            return multipleOf(Integer.parseInt(text.substring(MULTIPLE_OF.length())));
        }
        throw new IllegalArgumentException("input size rule '" + text + "' is neither 'any' nor 'multiple of N'");
    }

    @Override
    public String toString() {
        return multipleOf == 1 ? ANY : MULTIPLE_OF + multipleOf;
    }
}
