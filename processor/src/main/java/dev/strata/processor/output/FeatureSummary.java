package dev.strata.processor.output;

import java.util.List;
import java.util.Objects;

/**
 * The value of a {@code frames.features} record: pooled feature vectors of each selected
 * backbone stage of one frame (multi-scale: shallow stages see texture, deep ones objects).
 * Written by {@link FeatureSummaryWriter}, read by {@link FeatureSummaryReader}.
 */
public record FeatureSummary(String streamId, String frameId, long captureTs, List<StageSummary> stages) {

    public FeatureSummary {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(frameId, "frameId");
        stages = List.copyOf(stages);
    }
}
