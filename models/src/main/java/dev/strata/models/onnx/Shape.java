package dev.strata.models.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A concrete tensor shape (row-major dims), e.g. a graph value at the reference input size. */
public record Shape(List<Integer> dims) {

    public Shape {
        dims = List.copyOf(dims);
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + dims);
            }
        }
    }

    public static Shape of(int... dims) {
        return new Shape(Arrays.stream(dims).boxed().toList());
    }

    public int rank() {
        return dims.size();
    }

    /** Dimension at {@code axis}; a negative axis counts from the end as in ONNX. */
    public int dim(int axis) {
        return dims.get(normalizeAxis(axis));
    }

    /** The axis in [0, rank) for an ONNX-style axis that may be negative. */
    public int normalizeAxis(int axis) {
        int normalized = axis < 0 ? axis + rank() : axis;
        if (normalized < 0 || normalized >= rank()) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        }
        return normalized;
    }

    public long elementCount() {
        long count = 1;
        for (int d : dims) {
            count *= d;
        }
        return count;
    }

    /** A copy with the dimension at {@code axis} replaced. */
    public Shape with(int axis, int size) {
        int[] copy = toArray();
        copy[normalizeAxis(axis)] = size;
        return Shape.of(copy);
    }

    public int[] toArray() {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    public long[] toLongArray() {
        return dims.stream().mapToLong(Integer::longValue).toArray();
    }

    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
