package dev.strata.models.weights;

import dev.strata.models.onnx.Init;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.WeightSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Deterministic random weights following each tensor's init hint. Every tensor gets its own
 * generator, seeded from the seed and a stable hash of its key, so the values depend only on
 * (seed, key): not on build order, nor on which other tensors exist.
 */
public final class SeededWeights implements WeightSource {

    private final long seed;

    public SeededWeights(long seed) {
        this.seed = seed;
    }

    @Override
    public Optional<float[]> load(String key, Shape shape, Init init) {
        float[] values = new float[Math.toIntExact(shape.elementCount())];
        if (init instanceof Init.Constant constant) {
            Arrays.fill(values, constant.value());
        } else {
            Init.Normal normal = (Init.Normal) init;
            fillGaussian(values, key, normal.std(), normal.limit());
        }
        return Optional.of(values);
    }

    @Override
    public String origin() {
        return "seeded:" + seed;
    }

    /** Normal(0, std) samples, redrawn while outside +-limit standard deviations. */
    private void fillGaussian(float[] values, String key, double std, double limit) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + fnv1a64(key));
        int i = 0;
        while (i < values.length) {
            // Box-Muller on our own uniforms: RandomGenerator.nextGaussian's algorithm is not pinned by the JDK.
            double radius = Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble()));
            double angle = 2.0 * Math.PI * random.nextDouble();
            for (double z : new double[] {radius * Math.cos(angle), radius * Math.sin(angle)}) {
                if (i < values.length && Math.abs(z) <= limit) {
                    values[i++] = (float) (z * std);
                }
            }
        }
    }

    private static long fnv1a64(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
