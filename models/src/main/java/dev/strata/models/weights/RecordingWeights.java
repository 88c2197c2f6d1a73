package dev.strata.models.weights;

import dev.strata.models.onnx.Init;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.WeightSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Passes another source through and keeps every tensor it hands out, in declaration order:
 * building a graph over it yields the model's full state dict (e.g. to write as safetensors).
 */
public final class RecordingWeights implements WeightSource {

    private final WeightSource delegate;
    private final Map<String, SafetensorsTensor> recorded = new LinkedHashMap<>();

    public RecordingWeights(WeightSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<float[]> load(String key, Shape shape, Init init) {
        Optional<float[]> values = delegate.load(key, shape, init);
        values.ifPresent(v -> recorded.put(key, SafetensorsTensor.ofFloats(shape, v)));
        return values;
    }

    @Override
    public void requireAllUsed(Predicate<String> ignorable) {
        delegate.requireAllUsed(ignorable);
    }

    @Override
    public String origin() {
        return delegate.origin();
    }

    /** The state dict recorded so far, keyed by the official names. */
    public Map<String, SafetensorsTensor> stateDict() {
        return Collections.unmodifiableMap(recorded);
    }
}
