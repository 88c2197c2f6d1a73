package dev.strata.processor.inference;

import java.util.Objects;

/**
 * One backbone stage's feature map for a whole batch, as the model returned it: float NCHW.
 *
 * @param name     stage name, e.g. {@code stage1}
 * @param stride   input pixels per feature-map cell, e.g. 4, 8, 16, 32
 * @param data     {@code batch x channels x height x width} values
 */
public record StageOutput(String name, int stride, float[] data, int batch, int channels, int height, int width) {

    public StageOutput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        if (stride < 1 || batch < 1 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("stage " + name + ": stride and shape must be positive, got stride "
                    + stride + ", shape " + batch + "x" + channels + "x" + height + "x" + width);
        }
        if ((long) batch * channels * height * width != data.length) {
            throw new IllegalArgumentException("stage " + name + ": shape " + batch + "x" + channels + "x" + height
                    + "x" + width + " does not match the " + data.length + " values given");
        }
    }
}
