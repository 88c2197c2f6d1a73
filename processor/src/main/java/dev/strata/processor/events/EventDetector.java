package dev.strata.processor.events;

import dev.strata.processor.config.EventSettings;
import dev.strata.processor.output.ClassLabels;
import dev.strata.processor.output.ScoredLabel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-stream event logic, free of Kafka: given a stream's state and its next frame, the new
 * state and the events the frame causes. Thread-safe (stateless).
 */
public final class EventDetector {

    /** Averaged scores below this are forgotten, which bounds the ema state. */
    private static final float EMA_FLOOR = 1e-3f;

    private final EventSettings settings;
    private final ClassLabels classes;

    public EventDetector(EventSettings settings, ClassLabels classes) {
        this.settings = settings;
        this.classes = classes;
    }

    /** The new state and what happened. */
    public record Step(StreamState state, List<StreamEvent> events, double distance) {
    }

    /**
     * @param previous the stream's state; null for a stream seen for the first time (or forgotten)
     * @param nowMs    wall-clock time of processing
     */
    public Step onFrame(String streamId, StreamState previous, EventInput frame, long nowMs) {
        List<StreamEvent> events = new ArrayList<>(2);
        double distance = Double.NaN;
        int framesSinceCut = previous == null ? Integer.MAX_VALUE : previous.framesSinceCut();
        if (previous != null && previous.embedding().length == frame.embedding().length) {
            distance = cosineDistance(previous.embedding(), frame.embedding());
            EventSettings.SceneChange scene = settings.sceneChange();
            if (distance > scene.threshold() && framesSinceCut >= scene.minFrames()) {
                events.add(StreamEvent.sceneChange(streamId, frame, distance, previous.lastFrameId()));
                framesSinceCut = 0;
            }
        }
        framesSinceCut = framesSinceCut == Integer.MAX_VALUE ? framesSinceCut : framesSinceCut + 1;

        ScoredLabel current = previous == null ? null : previous.label();
        Smoothed smoothed = settings.labelChange().method() == EventSettings.SmoothingMethod.MAJORITY
                ? majority(previous, frame, current)
                : ema(previous, frame, current);
        if (current != null && smoothed.label().index() != current.index()) {
            events.add(StreamEvent.labelChange(streamId, frame, current, smoothed.label(), smoothed.label().score()));
        }
        StreamState state = new StreamState(frame.frameId(), frame.captureTs(), nowMs, frame.embedding(),
                framesSinceCut, smoothed.recentTop1(), smoothed.emaClasses(), smoothed.emaScores(), smoothed.label());
        return new Step(state, events, distance);
    }

    private record Smoothed(ScoredLabel label, int[] recentTop1, int[] emaClasses, float[] emaScores) {
    }

    /** The most frequent top-1 of the window; the current label keeps its place on a tie. */
    private Smoothed majority(StreamState previous, EventInput frame, ScoredLabel current) {
        int window = settings.labelChange().window();
        int[] before = previous == null ? new int[0] : previous.recentTop1();
        int keep = Math.min(before.length, window - 1);
        int[] recent = Arrays.copyOfRange(before, before.length - keep, before.length + 1);
        ScoredLabel top1 = frame.labels().get(0);
        recent[recent.length - 1] = top1.index();

        Map<Integer, Integer> votes = new HashMap<>();
        for (int c : recent) {
            votes.merge(c, 1, Integer::sum);
        }
        int leader = current == null ? top1.index() : current.index();
        for (Map.Entry<Integer, Integer> e : votes.entrySet()) {
            if (e.getValue() > votes.getOrDefault(leader, 0)) {
                leader = e.getKey();
            }
        }
        float confidence = votes.getOrDefault(leader, 0) / (float) recent.length;
        return new Smoothed(new ScoredLabel(leader, classes.name(leader), confidence), recent, new int[0],
                new float[0]);
    }

    /** Exponential average of each class's score (0 when a class is not in the frame's top-k). */
    private Smoothed ema(StreamState previous, EventInput frame, ScoredLabel current) {
        float alpha = (float) settings.labelChange().alpha();
        Map<Integer, Float> scores = new HashMap<>();
        if (previous != null) {
            for (int i = 0; i < previous.emaClasses().length; i++) {
                scores.put(previous.emaClasses()[i], previous.emaScores()[i] * (1 - alpha));
            }
        }
        boolean first = previous == null;
        for (ScoredLabel label : frame.labels()) {
            scores.merge(label.index(), first ? label.score() : alpha * label.score(), Float::sum);
        }
        scores.values().removeIf(v -> v < EMA_FLOOR);

        int leader = current != null && scores.containsKey(current.index()) ? current.index()
                : frame.labels().get(0).index();
        for (Map.Entry<Integer, Float> e : scores.entrySet()) {
            if (e.getValue() > scores.getOrDefault(leader, 0f)) {
                leader = e.getKey();
            }
        }
        int[] indices = new int[scores.size()];
        float[] values = new float[scores.size()];
        int i = 0;
        for (Map.Entry<Integer, Float> e : scores.entrySet()) {
            indices[i] = e.getKey();
            values[i++] = e.getValue();
        }
        ScoredLabel label = new ScoredLabel(leader, classes.name(leader), scores.getOrDefault(leader, 0f));
        return new Smoothed(label, new int[0], indices, values);
    }

    /** 1 - cosine similarity of two L2-normalised vectors. */
    static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return 1 - dot;
    }
}
