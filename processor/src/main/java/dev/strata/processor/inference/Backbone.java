package dev.strata.processor.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A loaded vision backbone on one device. Implementations are not thread-safe: the shared
 * {@link InferenceExecutor} is the only caller, from its single inference thread.
 */
public interface Backbone extends AutoCloseable {

    ModelInfo info();

    /** Engine and device the model runs on, e.g. {@code onnxruntime}/{@code cpu}; used as metric tags. */
    String engine();

    String device();

    /**
     * Runs one batch.
     *
     * @param input  {@code batchSize} preprocessed frames, NCHW, from index 0; a direct buffer in
     *               native order is handed to the engine without a copy
     * @param stages indices into {@link ModelInfo#stages()} of the maps to copy out; only those are
     *               copied, the logits always are
     */
    BatchOutput infer(FloatBuffer input, int batchSize, Set<Integer> stages);

    /** Runs one batch from an array, copying out every stage map: for warm-up and tests. */
    default BatchOutput infer(float[] input, int batchSize) {
        int floats = batchSize * info().frameFloats();
        FloatBuffer direct = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer().put(input, 0, floats);
        return infer(direct, batchSize, IntStream.range(0, info().stages().size()).boxed().collect(Collectors.toSet()));
    }

    @Override
    void close();
}
