package dev.strata.processor.output;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stage of a frame's feature summary.
 *
 * @param name     stage name
 * @param stride   input pixels per feature-map cell
 * @param channels vector length
 * @param grid     N of the N x N grid pooling; 0 when off
 * @param pooled   the global average pool: {@code channels} values
 * @param cells    the grid pools, cell after cell in row-major order (top-left, top-right, ...,
 *                 bottom-right), {@code channels} values each; empty when the grid is off
 */
public record StageSummary(String name, int stride, int channels, int grid, float[] pooled, float[] cells) {

    public StageSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pooled, "pooled");
        Objects.requireNonNull(cells, "cells");
        if (stride < 1 || channels < 1 || grid < 0) {
            throw new IllegalArgumentException("stage " + name + ": stride " + stride + ", channels " + channels
                    + ", grid " + grid);
        }
        if (pooled.length != channels || cells.length != (long) grid * grid * channels) {
            throw new IllegalArgumentException("stage " + name + ": " + pooled.length + " pooled and " + cells.length
                    + " cell values do not fit " + channels + " channels on a " + grid + "x" + grid + " grid");
        }
    }

    /**
     * Pools one frame of a stage's NCHW output: the global average over the H x W map, and with
     * {@code grid > 0} the average over each of the N x N cells. Cells split the map like
     * PyTorch's AdaptiveAvgPool2d: cell i covers rows {@code floor(i*H/N)} to
     * {@code ceil((i+1)*H/N)}, so uneven maps (7x7 into 2x2) share the middle row and column.
     */
    public static StageSummary pool(String name, int stride, float[] data, int batchIndex, int channels, int height,
                                    int width, int grid) {
        if (grid < 0) {
            throw new IllegalArgumentException("grid must be 0 (off) or positive: " + grid);
        }
        int area = height * width;
        int frameOffset = Math.multiplyExact(Math.multiplyExact(batchIndex, channels), area);
        Objects.checkFromIndexSize(frameOffset, channels * area, data.length);
        float[] pooled = new float[channels];
        float[] cells = new float[grid * grid * channels];
        for (int c = 0; c < channels; c++) {
            int base = frameOffset + c * area;
            pooled[c] = (float) (sum(data, base, width, 0, height, 0, width) / area);
            for (int gy = 0; gy < grid; gy++) {
                int y0 = gy * height / grid;
                int y1 = ceilDiv((gy + 1) * height, grid);
                for (int gx = 0; gx < grid; gx++) {
                    int x0 = gx * width / grid;
                    int x1 = ceilDiv((gx + 1) * width, grid);
                    double mean = sum(data, base, width, y0, y1, x0, x1) / ((y1 - y0) * (x1 - x0));
                    cells[(gy * grid + gx) * channels + c] = (float) mean;
                }
            }
        }
        return new StageSummary(name, stride, channels, grid, pooled, cells);
    }

    private static double sum(float[] data, int base, int width, int y0, int y1, int x0, int x1) {
        // Four running sums: one chain of dependent additions waits on each add's latency; four
        // independent ones keep the adder busy (the global pool reads every value of every stage map).
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int y = y0; y < y1; y++) {
            int i = base + y * width + x0;
            int end = base + y * width + x1;
            for (; i + 3 < end; i += 4) {
                s0 += data[i];
                s1 += data[i + 1];
                s2 += data[i + 2];
                s3 += data[i + 3];
            }
            for (; i < end; i++) {
                s0 += data[i];
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** Arrays compare by content, so summaries read back from a topic equal the ones written. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StageSummary other && name.equals(other.name) && stride == other.stride
                && channels == other.channels && grid == other.grid && Arrays.equals(pooled, other.pooled)
                && Arrays.equals(cells, other.cells);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, stride, channels, grid, Arrays.hashCode(pooled), Arrays.hashCode(cells));
    }

    @Override
    public String toString() {
        return "StageSummary[" + name + ", stride " + stride + ", " + channels + " channels, grid " + grid
                + ", pooled " + Arrays.toString(pooled) + "]";
    }
}
