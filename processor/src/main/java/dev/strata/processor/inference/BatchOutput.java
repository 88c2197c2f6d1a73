package dev.strata.processor.inference;

import java.util.List;
import java.util.Optional;

/**
 * Outputs of one batch, copied out of native memory: the logits, and the stage maps that were
 * asked for (the others never leave the engine).
 *
 * @param batchSize frames in the batch
 * @param logits    {@code batchSize x numClasses}, row-major
 * @param stages    one entry per {@link ModelInfo#stages()}, same order; empty where the map was
 *                  not asked for
 */
public record BatchOutput(int batchSize, int numClasses, float[] logits, List<Optional<StageOutput>> stages) {

    public BatchOutput {
        stages = List.copyOf(stages);
        if (logits.length != batchSize * numClasses) {
            throw new IllegalArgumentException(
                    "logits hold " + logits.length + " floats, expected " + batchSize + " x " + numClasses);
        }
    }

    /** Stages of the model, copied or not. */
    public int stageCount() {
        return stages.size();
    }

    /**
     * The map of stage {@code index}.
     *
     * @throws IllegalStateException the stage was not among those asked for
     */
    public StageOutput stage(int index) {
        return stages.get(index).orElseThrow(() -> new IllegalStateException("stage " + index
                + " was not copied out of the engine: it was not among the stages asked for"));
    }
}
