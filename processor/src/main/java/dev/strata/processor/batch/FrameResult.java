package dev.strata.processor.batch;

import dev.strata.processor.output.FeatureSummary;
import dev.strata.processor.output.ScoredLabel;
import java.util.List;
import java.util.Optional;

/**
 * What inference made of one frame, before its timings are known and it is published.
 *
 * @param embedding the L2-normalised pooled features of the events stage, when events are on
 */
public record FrameResult(List<ScoredLabel> labels, Optional<FeatureSummary> features,
                          Optional<float[]> embedding) {

    public FrameResult {
        labels = List.copyOf(labels);
    }
}
