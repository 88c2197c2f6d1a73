package dev.strata.models.layers;

/**
 * The options of a square-kernel nn.Conv2d, with PyTorch's defaults (stride 1, padding 0,
 * groups 1, bias). Input channels are taken from the input tensor.
 * <pre>{@code Conv2d.of(64, 3).stride(2).padding(1).noBias()}</pre>
 */
public record Conv2d(int outChannels, int kernel, int stride, int padding, int groups, boolean bias) {

    public Conv2d {
        if (outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || groups <= 0) {
            throw new IllegalArgumentException("invalid Conv2d(out=" + outChannels + ", kernel=" + kernel
                    + ", stride=" + stride + ", padding=" + padding + ", groups=" + groups + ")");
        }
    }

    public static Conv2d of(int outChannels, int kernel) {
        return new Conv2d(outChannels, kernel, 1, 0, 1, true);
    }

    /** A depthwise convolution: one filter per channel (groups = channels). */
    public static Conv2d depthwise(int channels, int kernel) {
        return new Conv2d(channels, kernel, 1, 0, channels, true);
    }

    public Conv2d stride(int value) {
        return new Conv2d(outChannels, kernel, value, padding, groups, bias);
    }

    public Conv2d padding(int value) {
        return new Conv2d(outChannels, kernel, stride, value, groups, bias);
    }

    public Conv2d noBias() {
        return new Conv2d(outChannels, kernel, stride, padding, groups, false);
    }
}
