package dev.strata.models.layers;

import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Init;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.Tensor;

/**
 * The PyTorch modules the families share, emitted on a {@link GraphBuilder}. Each keyed method
 * declares the module's state-dict tensors under {@code key} with the official names and shapes
 * ({@code key.weight}, {@code key.bias}, ...) and the official init for seeded weights. Input
 * sizes (in_features, in_channels) are read from the input tensor. Norms use PyTorch's eps 1e-5.
 */
public final class Layers {

    public static final float NORM_EPSILON = 1e-5f;
    private static final float SQRT_2 = (float) Math.sqrt(2.0);

    private final GraphBuilder g;

    public Layers(GraphBuilder g) {
        this.g = g;
    }

    /** The underlying builder, for the ops a family composes itself (residual adds, slices, ...). */
    public GraphBuilder graph() {
        return g;
    }

    // ---- linear and convolution ----

    /** nn.Linear(in, out) with bias on the last axis; see {@link #linear(String, Tensor, int, boolean)}. */
    public Tensor linear(String key, Tensor x, int outFeatures) {
        return linear(key, x, outFeatures, true);
    }

    /**
     * nn.Linear on the last axis (channels-last maps, or [N, C] vectors). The official weight
     * [out, in] is kept as the initializer; a Transpose feeds MatMul (folded by ONNX Runtime),
     * or Gemm reads it directly for a [N, C] input.
     */
    public Tensor linear(String key, Tensor x, int outFeatures, boolean bias) {
        return g.scoped(key, () -> {
            int inFeatures = x.dim(-1);
            Tensor weight = linearWeight(key, inFeatures, outFeatures);
            if (bias && x.rank() == 2) {
                return g.gemm(x, weight, linearBias(key, outFeatures), true);
            }
            Tensor y = g.matMul(x, g.transpose(weight, 1, 0));
            return bias ? g.add(y, linearBias(key, outFeatures)) : y;
        });
    }

    /** nn.Linear applied to the channels of an NCHW map: a 1x1 Conv over the [out, in, 1, 1] view of its weight. */
    public Tensor linearNchw(String key, Tensor x, int outFeatures, boolean bias) {
        return g.scoped(key, () -> {
            Tensor weight = g.unsqueeze(linearWeight(key, x.dim(1), outFeatures), 2, 3);
            return bias ? g.conv(x, weight, linearBias(key, outFeatures), 1, 0, 1) : g.conv(x, weight, 1, 0, 1);
        });
    }

    /** nn.Conv2d on NCHW; weight [out, in/groups, k, k], init kaiming-normal (fan_out), bias zeros. */
    public Tensor conv2d(String key, Tensor x, Conv2d conv) {
        return g.scoped(key, () -> {
            Shape weightShape = Shape.of(conv.outChannels(), x.dim(1) / conv.groups(), conv.kernel(), conv.kernel());
            Tensor weight = g.parameter(key + ".weight", weightShape, Init.kaimingNormalFanOut(weightShape));
            if (!conv.bias()) {
                return g.conv(x, weight, conv.stride(), conv.padding(), conv.groups());
            }
            Tensor bias = g.parameter(key + ".bias", Shape.of(conv.outChannels()), Init.zeros());
            return g.conv(x, weight, bias, conv.stride(), conv.padding(), conv.groups());
        });
    }

    // ---- normalisation ----

    /**
     * nn.BatchNorm2d in eval mode, kept as a BatchNormalization node (ONNX Runtime folds it into
     * a preceding Conv); running_mean/running_var are buffers, not parameters.
     */
    public Tensor batchNorm2d(String key, Tensor x) {
        return g.scoped(key, () -> {
            Shape channels = Shape.of(x.dim(1));
            return g.batchNorm(x,
                    g.parameter(key + ".weight", channels, Init.ones()),
                    g.parameter(key + ".bias", channels, Init.zeros()),
                    g.buffer(key + ".running_mean", channels, Init.zeros()),
                    g.buffer(key + ".running_var", channels, Init.ones()),
                    NORM_EPSILON);
        });
    }

    /** nn.LayerNorm(C) over the last axis (channels-last maps, or [N, C] vectors). */
    public Tensor layerNorm(String key, Tensor x) {
        return g.scoped(key, () -> {
            Shape channels = Shape.of(x.dim(-1));
            return g.layerNorm(x,
                    g.parameter(key + ".weight", channels, Init.ones()),
                    g.parameter(key + ".bias", channels, Init.zeros()),
                    NORM_EPSILON);
        });
    }

    /**
     * nn.GroupNorm(1, C) on NCHW: statistics over C, H and W together, per-channel affine.
     * Composed from standard ops (GroupNormalization needs opset 18). The weight is divided by
     * the standard deviation on the small [N, C, 1, 1] scale rather than dividing the whole map:
     * one full-size pass fewer (AS-MLP-T on CPU: about 3% faster).
     */
    public Tensor groupNorm1(String key, Tensor x) {
        return g.scoped(key, () -> {
            Shape channels = Shape.of(x.dim(1));
            Tensor centered = g.sub(x, g.reduceMean(x, true, 1, 2, 3));
            Tensor variance = g.reduceMean(g.mul(centered, centered), true, 1, 2, 3);
            Tensor weight = g.unsqueeze(g.parameter(key + ".weight", channels, Init.ones()), 1, 2);
            Tensor bias = g.unsqueeze(g.parameter(key + ".bias", channels, Init.zeros()), 1, 2);
            Tensor scale = g.div(weight, g.sqrt(g.add(variance, g.scalar(NORM_EPSILON))));
            return g.add(g.mul(centered, scale), bias);
        });
    }

    // ---- activations and MLPs ----

    /** Exact GELU, 0.5 * x * (1 + erf(x / sqrt 2)), in the node order ONNX Runtime fuses. */
    public Tensor gelu(Tensor x) {
        Tensor erf = g.erf(g.div(x, g.scalar(SQRT_2)));
        return g.mul(g.mul(x, g.add(erf, g.scalar(1f))), g.scalar(0.5f));
    }

    public Tensor relu(Tensor x) {
        return g.relu(x);
    }

    /**
     * The channel MLP fc1 -> GELU -> fc2 (C -> hidden -> C) under {@code key.fc1} / {@code key.fc2}:
     * nn.Linear for channels-last maps, nn.Conv2d 1x1 for channels-first ones, as in the official code.
     */
    public Tensor channelMlp(String key, Tensor x, int hidden, Layout layout) {
        if (layout == Layout.NHWC) {
            int channels = x.dim(-1);
            return linear(key + ".fc2", gelu(linear(key + ".fc1", x, hidden)), channels);
        }
        int channels = x.dim(1);
        return conv2d(key + ".fc2", gelu(conv2d(key + ".fc1", x, Conv2d.of(hidden, 1))), Conv2d.of(channels, 1));
    }

    // ---- pooling and layout ----

    /** nn.MaxPool2d(kernel, stride, padding) on NCHW. */
    public Tensor maxPool(Tensor x, int kernel, int stride, int padding) {
        return g.maxPool(x, kernel, stride, padding);
    }

    /** Mean over all positions: [N, C, H, W] or [N, H, W, C] to [N, C]. */
    public Tensor meanOverPositions(Tensor x, Layout layout) {
        return g.reduceMean(x, false, layout.heightAxis(), layout.widthAxis());
    }

    public Tensor toNhwc(Tensor nchw) {
        return g.transpose(nchw, 0, 2, 3, 1);
    }

    public Tensor toNchw(Tensor nhwc) {
        return g.transpose(nhwc, 0, 3, 1, 2);
    }

    /**
     * Shifts {@code x} by {@code amount} positions along {@code axis}, as torch.roll does:
     * out[p] = in[p - amount]. Positions with no source are filled per {@code fill}. Built from
     * Slice, Pad and Concat with static amounts and end-relative indices, so any size works.
     */
    public Tensor shift(Tensor x, int axis, int amount, Fill fill) {
        if (amount == 0) {
            return x;
        }
        int s = Math.abs(amount);
        if (s >= x.dim(axis)) {
            throw new IllegalArgumentException("shift by " + amount + " along axis " + axis
                    + " leaves nothing of " + x.shape());
        }
        Tensor kept = amount > 0 ? g.slice(x, axis, 0, -s) : g.slice(x, axis, s, Integer.MAX_VALUE);
        return switch (fill) {
            case ZERO -> amount > 0 ? g.padZeros(kept, axis, s, 0) : g.padZeros(kept, axis, 0, s);
            case KEEP -> amount > 0
                    ? g.concat(axis, g.slice(x, axis, 0, s), kept)
                    : g.concat(axis, kept, g.slice(x, axis, -s, Integer.MAX_VALUE));
            case WRAP -> amount > 0
                    ? g.concat(axis, g.slice(x, axis, -s, Integer.MAX_VALUE), kept)
                    : g.concat(axis, kept, g.slice(x, axis, 0, s));
        };
    }

    private Tensor linearWeight(String key, int inFeatures, int outFeatures) {
        return g.parameter(key + ".weight", Shape.of(outFeatures, inFeatures), Init.truncatedNormal(0.02));
    }

    private Tensor linearBias(String key, int outFeatures) {
        return g.parameter(key + ".bias", Shape.of(outFeatures), Init.zeros());
    }
}
