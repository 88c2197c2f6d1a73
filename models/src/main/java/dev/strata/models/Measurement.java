package dev.strata.models;

import java.util.List;

/** Figures computed from an architecture's graph at 224x224: parameters, MACs and stages. */
public record Measurement(long params, long macs, List<StageInfo> stages) {

    public Measurement {
        stages = List.copyOf(stages);
    }
}
