package dev.strata.processor.config;

import dev.strata.processor.output.FeatureFormat;
import dev.strata.processor.output.FeaturePrecision;
import java.util.HashSet;
import java.util.List;

/**
 * The {@code frames.features} output ({@code strata.output.features}).
 *
 * @param enabled   whether feature summaries are published
 * @param format    binary or JSON
 * @param precision float16 or float32 values
 * @param grid      N of the N x N grid pooling; 0 is off
 * @param stages    stage indices to publish; empty publishes all
 */
public record FeatureSettings(boolean enabled, FeatureFormat format, FeaturePrecision precision, int grid,
                              List<Integer> stages) {

    public FeatureSettings {
        stages = List.copyOf(stages);
    }

    static FeatureSettings parse(Settings s) {
        List<Integer> stages = s.intList("strata.output.features.stages");
        if (stages.stream().anyMatch(i -> i < 0) || new HashSet<>(stages).size() != stages.size()) {
            throw s.invalid("strata.output.features.stages", "must list distinct stage indices from 0");
        }
        return new FeatureSettings(
                s.bool("strata.output.features.enabled"),
                s.choice("strata.output.features.format", FeatureFormat.class),
                s.choice("strata.output.features.precision", FeaturePrecision.class),
                s.intBetween("strata.output.features.grid", 0, 16),
                stages);
    }
}
