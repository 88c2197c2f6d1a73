package dev.strata.processor.frame;

import java.util.Arrays;

/**
 * Pillow's bilinear resampling ({@code Image.resize(size, BILINEAR)}, libImaging/Resample.c),
 * reproduced bit for bit so that Strata feeds a model exactly what the usual PyTorch evaluation
 * transform does: a triangle filter widened by the scale factor when downscaling (so it averages
 * over the whole source area instead of skipping pixels), 22-bit fixed-point weights, and a
 * horizontal pass rounded to 8 bits before the vertical pass.
 *
 * <p>Only the output window {@code [first, first + count)} of a resize from {@code inSize} to
 * {@code outSize} is computed: resizing and then center-cropping costs no more than the crop.
 */
final class Resample {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private Resample() {
    }

    /** Fixed-point filter weights of a window of output samples along one axis. */
    record Axis(int[] start, int[] count, int[] weights, int kernelSize) {

        static Axis of(int inSize, int outSize, int first, int count) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the bilinear filter's support is 1
            int kernelSize = (int) Math.ceil(support) * 2 + 1;
            int[] starts = new int[count];
            int[] counts = new int[count];
            int[] weights = new int[count * kernelSize];
            double[] k = new double[kernelSize];
            for (int i = 0; i < count; i++) {
                int xx = first + i;
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = triangle((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double normalised = ww != 0.0 ? k[x] / ww : k[x];
                    // Weights are never negative for this filter; Pillow rounds half away from zero.
                    weights[i * kernelSize + x] = (int) (0.5 + normalised * (1 << PRECISION_BITS));
                }
                starts[i] = xmin;
                counts[i] = xmax;
            }
            return new Axis(starts, counts, weights, kernelSize);
        }

        int firstInput() {
            return start[0];
        }

        int endInput() {
            return start[start.length - 1] + count[count.length - 1];
        }
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    /**
     * Resamples {@code src} through the two axes into packed RGB of size
     * {@code horizontal.count.length x vertical.count.length}.
     */
    static byte[] apply(RgbImage src, Axis horizontal, Axis vertical) {
        int outW = horizontal.start().length;
        int outH = vertical.start().length;
        int rowFirst = vertical.firstInput();
        int rows = vertical.endInput() - rowFirst;

        byte[] data = src.data();
        int ps = src.pixelStride();
        int ro = src.redOffset();
        int go = src.greenOffset();
        int bo = src.blueOffset();
        int[] hw = horizontal.weights();
        int hk = horizontal.kernelSize();
        int[] hStart = horizontal.start();
        int[] hCount = horizontal.count();
        byte[] tmp = new byte[rows * outW * 3];
        for (int y = 0; y < rows; y++) {
            int rowBase = src.offset() + (rowFirst + y) * src.rowStride();
            int t = y * outW * 3;
            for (int i = 0; i < outW; i++) {
                int r = HALF;
                int g = HALF;
                int b = HALF;
                int p = rowBase + hStart[i] * ps;
                int kBase = i * hk;
                int kEnd = kBase + hCount[i];
                for (int k = kBase; k < kEnd; k++, p += ps) {
                    int w = hw[k];
                    r += (data[p + ro] & 0xFF) * w;
                    g += (data[p + go] & 0xFF) * w;
                    b += (data[p + bo] & 0xFF) * w;
                }
                tmp[t] = clip8(r);
                tmp[t + 1] = clip8(g);
                tmp[t + 2] = clip8(b);
                t += 3;
            }
        }

        int[] vw = vertical.weights();
        int vk = vertical.kernelSize();
        int[] vStart = vertical.start();
        int[] vCount = vertical.count();
        int tmpRow = outW * 3;
        byte[] out = new byte[outH * outW * 3];
        int[] acc = new int[tmpRow];
        for (int j = 0, o = 0; j < outH; j++) {
            Arrays.fill(acc, HALF);
            int first = vStart[j] - rowFirst;
            int kBase = j * vk;
            // Row by row: each source row is read sequentially and the loop over it vectorises.
            for (int y = 0, n = vCount[j]; y < n; y++) {
                int w = vw[kBase + y];
                int rowStart = (first + y) * tmpRow;
                for (int i = 0; i < tmpRow; i++) {
                    acc[i] += (tmp[rowStart + i] & 0xFF) * w;
                }
            }
            for (int i = 0; i < tmpRow; i++) {
                out[o++] = clip8(acc[i]);
            }
        }
        return out;
    }

    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
