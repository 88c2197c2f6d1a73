package dev.strata.processor.config;

/**
 * What Strata publishes ({@code strata.output}).
 *
 * @param topK     labels per frame; checked against the model's classes when it loads
 * @param features the feature summaries
 */
public record OutputSettings(int topK, FeatureSettings features) {

    static OutputSettings parse(Settings s) {
        return new OutputSettings(s.intBetween("strata.output.top-k", 1, 1000), FeatureSettings.parse(s));
    }
}
