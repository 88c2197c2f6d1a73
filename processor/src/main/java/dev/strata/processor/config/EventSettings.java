package dev.strata.processor.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-stream events on {@code topics.events} ({@code strata.events}).
 *
 * @param enabled     whether events are detected and published
 * @param sceneChange cuts between consecutive frames of a stream
 * @param labelChange changes of a stream's smoothed top-1 label
 * @param idleTimeout a stream with no frame for this long is forgotten; empty: never
 * @param emitIdle    whether forgetting a stream publishes a {@code stream_idle} event
 */
public record EventSettings(boolean enabled, SceneChange sceneChange, LabelChange labelChange,
                            Optional<Duration> idleTimeout, boolean emitIdle) {

    /**
     * @param stage     index of the stage whose pooled features are compared; -1 is the last
     * @param threshold cosine distance between consecutive frames above which a cut is reported
     * @param minFrames frames of the stream after a reported cut during which no other is reported
     */
    public record SceneChange(int stage, double threshold, int minFrames) {
    }

    /**
     * @param window frames the majority vote looks back on
     * @param method majority vote of top-1 labels, or exponential average of scores
     * @param alpha  weight of the newest frame in the exponential average
     */
    public record LabelChange(int window, SmoothingMethod method, double alpha) {
    }

    /** How a stream's label is smoothed over frames. */
    public enum SmoothingMethod {
        MAJORITY,
        EMA
    }

    static EventSettings parse(Settings s) {
        Duration idle = s.duration("strata.events.idle.timeout");
        return new EventSettings(
                s.bool("strata.events.enabled"),
                new SceneChange(
                        s.intBetween("strata.events.scene-change.stage", -1, 64),
                        s.doubleBetween("strata.events.scene-change.threshold", 0.0, 2.0),
                        s.intBetween("strata.events.scene-change.min-frames", 1, 1_000_000)),
                new LabelChange(
                        s.intBetween("strata.events.label-change.window", 1, 1000),
                        s.choice("strata.events.label-change.method", SmoothingMethod.class),
                        s.doubleBetween("strata.events.label-change.alpha", 0.0, 1.0)),
                idle.isZero() ? Optional.empty() : Optional.of(idle),
                s.bool("strata.events.idle.emit"));
    }
}
