package dev.strata.processor.inference;

import java.util.List;

/**
 * Outputs of one batch, copied out of native memory.
 *
 * @param batchSize frames in the batch
 * @param logits    {@code batchSize x numClasses}, row-major
 * @param stages    one per {@link ModelInfo#stages()}, same order, each NCHW for the whole batch
 */
public record BatchOutput(int batchSize, int numClasses, float[] logits, List<StageOutput> stages) {

    public BatchOutput {
        stages = List.copyOf(stages);
        if (logits.length != batchSize * numClasses) {
            throw new IllegalArgumentException(
                    "logits hold " + logits.length + " floats, expected " + batchSize + " x " + numClasses);
        }
    }
}
