package dev.strata.models.onnx;

/**
 * How a parameter is initialised when no checkpoint provides it (seeded weights). Mirrors the
 * official PyTorch init of each module kind, so seeded models have sane activations.
 */
public sealed interface Init {

    /** Every element equals {@code value}. */
    record Constant(float value) implements Init {
    }

    /** Normal(0, std), samples beyond {@code limit} standard deviations redrawn (none if infinite). */
    record Normal(double std, double limit) implements Init {
    }

    static Init zeros() {
        return new Constant(0f);
    }

    static Init ones() {
        return new Constant(1f);
    }

    /** timm's trunc_normal_(std=0.02) for Linear weights: redrawn outside +-2 std. */
    static Init truncatedNormal(double std) {
        return new Normal(std, 2.0);
    }

    /**
     * PyTorch's kaiming_normal_(mode='fan_out', nonlinearity='relu') for a conv weight
     * [out, in/groups, kh, kw]: std = sqrt(2 / (out * kh * kw)).
     */
    static Init kaimingNormalFanOut(Shape convWeight) {
        long fanOut = convWeight.elementCount() / convWeight.dim(1);
        return new Normal(Math.sqrt(2.0 / fanOut), Double.POSITIVE_INFINITY);
    }
}
