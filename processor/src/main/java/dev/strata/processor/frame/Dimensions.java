package dev.strata.processor.frame;

/** Width and height of an image in pixels, both positive. */
public record Dimensions(int width, int height) {

    public Dimensions {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + width + "x" + height);
        }
    }

    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
