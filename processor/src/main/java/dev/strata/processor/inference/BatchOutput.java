package dev.strata.processor.inference;

import dev.strata.models.StageInfo;

import java.util.List;

/**
 * Outputs of one batch, copied out of native memory.
 *
 * @param batchSize frames in the batch
 * @param logits {@code batchSize x numClasses}, row-major
 * @param stages one per {@link ModelInfo#stages()}, same order
 */
public record BatchOutput(int batchSize, int numClasses, float[] logits, List<StageMap> stages) {
    public BatchOutput {
        stages = List.copyOf(stages);
        if (logits.length != batchSize * numClasses) {
            throw new IllegalArgumentException(
                    "logits hold " + logits.length + " floats, expected " + batchSize + " x " + numClasses);
        }
    }

    /**
     * One stage's NCHW feature maps for the whole batch.
     */
    public record StageMap(StageInfo info, int height, int width, float[] data) {
        public int frameFloats() {
            return info.channels() * height * width;
        }
    }
}
