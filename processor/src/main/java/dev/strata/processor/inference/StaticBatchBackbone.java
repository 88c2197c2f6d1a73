package dev.strata.processor.inference;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Batches of any size up to the largest engine's, on engines that each take one fixed batch size:
 * a batch runs on the smallest engine that holds it, zero-padded, and only its own frames' outputs
 * come back. For engines that cannot take a dynamic batch dimension (DJL's TensorRT engine).
 */
public final class StaticBatchBackbone implements Backbone {

    private final ModelInfo info;
    private final String engine;
    private final String device;
    private final NavigableMap<Integer, DjlBackbone> engines;

    /**
     * @param engines one engine per batch size it was built for; this backbone closes them
     */
    public StaticBatchBackbone(ModelInfo info, String engine, String device, Map<Integer, DjlBackbone> engines) {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("no engines");
        }
        this.info = info;
        this.engine = engine;
        this.device = device;
        this.engines = new TreeMap<>(engines);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public String device() {
        return device;
    }

    /** The batch sizes the engines were built for, ascending. */
    public int[] batchSizes() {
        return engines.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public BatchOutput infer(FloatBuffer input, int batchSize, Set<Integer> stages) {
        Map.Entry<Integer, DjlBackbone> target = engines.ceilingEntry(batchSize);
        if (target == null) {
            throw new InferenceException("a batch of " + batchSize + " frames is larger than the largest engine ("
                    + engines.lastKey() + " frames, strata.model.tensorrt.max-batch) on " + engine + "/" + device,
                    null);
        }
        return target.getValue().run(input, target.getKey(), batchSize, stages);
    }

    @Override
    public void close() {
        engines.values().forEach(DjlBackbone::close);
    }
}
