package dev.strata.models.onnx;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a graph's parameters and buffers come from, keyed by the official PyTorch state-dict
 * names. The graph declares each tensor (key, shape, init hint) and pulls its values from here.
 * Implementations live in {@code dev.strata.models.weights}; the interface sits with the graph
 * builder that consumes it, so the builder does not depend on any weight format.
 */
public interface WeightSource {

    /**
     * The values of {@code key} in row-major order, or empty when this source only carries
     * shapes. Fails, naming the key, when the source has no such tensor or another shape.
     */
    Optional<float[]> load(String key, Shape shape, Init init);

    /**
     * Called once the graph is complete: fails, naming them, if the source holds tensors the graph
     * never asked for, except keys matched by {@code ignorable} (state-dict buffers the graph
     * computes differently).
     */
    default void requireAllUsed(Predicate<String> ignorable) {
    }

    /** Where the weights came from, recorded in the model's metadata (e.g. "seeded:42"). */
    String origin();

    /** A source with no data, for counting parameters and MACs without allocating weights. */
    static WeightSource shapesOnly() {
        return ShapesOnly.INSTANCE;
    }

    /** The shape-only source: every tensor exists, none has values. */
    enum ShapesOnly implements WeightSource {
        INSTANCE;

        @Override
        public Optional<float[]> load(String key, Shape shape, Init init) {
            return Optional.empty();
        }

        @Override
        public String origin() {
            return "none (shapes only)";
        }
    }
}
