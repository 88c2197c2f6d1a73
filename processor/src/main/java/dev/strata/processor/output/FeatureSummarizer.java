package dev.strata.processor.output;

import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.StageOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Builds each frame's {@link FeatureSummary} from a batch's stage outputs, keeping the configured
 * stages and grid. Thread-safe.
 */
public final class FeatureSummarizer {

    private final int grid;
    private final List<Integer> stages;

    /**
     * @param grid   N for N x N grid pooling, 0 for the global average only
     * @param stages indices of the stages to keep, in output order; empty keeps all
     */
    public FeatureSummarizer(int grid, List<Integer> stages) {
        if (grid < 0) {
            throw new IllegalArgumentException("grid must be 0 (off) or positive: " + grid);
        }
        this.grid = grid;
        this.stages = List.copyOf(stages);
        if (this.stages.stream().anyMatch(i -> i < 0)) {
            throw new IllegalArgumentException("stage indices cannot be negative: " + stages);
        }
    }

    /**
     * Checks the selection against a model, so a bad stage index fails at start-up rather than at
     * the first frame.
     *
     * @throws IllegalArgumentException naming the index and the model's stage count
     */
    public void requireStages(int stageCount) {
        for (int index : stages) {
            if (index >= stageCount) {
                throw new IllegalArgumentException("strata.output.features.stages selects stage " + index
                        + " but the model has " + stageCount + " stages (0 to " + (stageCount - 1) + ")");
            }
        }
    }

    /** Indices of the stages summarised for a model of {@code stageCount} stages, in output order. */
    public List<Integer> stagesRead(int stageCount) {
        requireStages(stageCount);
        return stages.isEmpty() ? IntStream.range(0, stageCount).boxed().toList() : stages;
    }

    /** The summary of frame {@code batchIndex} of a batch. */
    public FeatureSummary summarize(String streamId, String frameId, long captureTs, BatchOutput output,
                                    int batchIndex) {
        // Per frame: the selection was checked against the model once, at start-up (stagesRead).
        int count = stages.isEmpty() ? output.stageCount() : stages.size();
        List<StageSummary> summaries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StageOutput out = output.stage(stages.isEmpty() ? i : stages.get(i));
            Objects.checkIndex(batchIndex, out.batch());
            summaries.add(StageSummary.pool(out.name(), out.stride(), out.data(), batchIndex, out.channels(),
                    out.height(), out.width(), grid));
        }
        return new FeatureSummary(streamId, frameId, captureTs, summaries);
    }
}
