package dev.strata.processor.batch;

import dev.strata.processor.output.FeatureSummary;
import dev.strata.processor.output.ScoredLabel;
import java.util.List;
import java.util.Optional;

/** What inference made of one frame, before its timings are known and it is published. */
public record FrameResult(List<ScoredLabel> labels, Optional<FeatureSummary> features) {

    public FrameResult {
        labels = List.copyOf(labels);
    }
}
