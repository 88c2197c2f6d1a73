package dev.strata.processor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder sampling profile of one measured phase, summarised: where the Java threads'
 * on-CPU samples ({@code jdk.ExecutionSample}) fell, by stage of the pipeline and by hottest method.
 * Native code (ONNX Runtime, libjpeg) is not sampled by JFR; {@link ThreadCpu} accounts for it.
 */
final class JfrProfile implements AutoCloseable {

    /** Sample counts by stage and the hottest top frames. */
    record Summary(int samples, Map<String, Double> percentByStage, Map<String, Double> percentByTopMethod,
                   String recording) {
    }

    private final Recording recording;
    private final Path file;

    private JfrProfile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /** Starts sampling; the recording is written to {@code file} when stopped. */
    static JfrProfile start(Path file) {
        Recording recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.setToDisk(true);
        recording.start();
        return new JfrProfile(recording, file);
    }

    /** Stops, writes the recording and summarises it. */
    Summary stop() {
        recording.stop();
        try {
            recording.dump(file);
            return summarise(RecordingFile.readAllEvents(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write or read the recording " + file, e);
        }
    }

    @Override
    public void close() {
        recording.close();
    }

    static Summary summarise(List<RecordedEvent> events, String recordingName) {
        Map<String, Integer> byStage = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : events) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread") == null ? ""
                    : String.valueOf(event.getThread("sampledThread").getJavaName());
            byStage.merge(stage(stack.getFrames(), thread), 1, Integer::sum);
            byMethod.merge(name(stack.getFrames().get(0).getMethod()), 1, Integer::sum);
        }
        return new Summary(samples, percentages(byStage, samples, 100), percentages(byMethod, samples, 15),
                recordingName);
    }

    private static Map<String, Double> percentages(Map<String, Integer> counts, int total, int limit) {
        Map<String, Double> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> out.put(e.getKey(), Math.round(1000.0 * e.getValue() / total) / 10.0));
        return out;
    }

    /**
     * The pipeline stage a sample belongs to: the innermost frame that identifies one, so a copy
     * inside the engine wrapper counts as a copy, not as inference.
     */
    static String stage(List<RecordedFrame> frames, String thread) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            String method = frame.getMethod().getName();
            if (type.endsWith("DjlBackbone") && !method.equals("infer")) {
                return "engine output copy";
            }
            if (type.endsWith("DjlBackbone")) {
                return "engine input copy + call";
            }
            if (type.startsWith("ai.onnxruntime") || type.startsWith("ai.djl")) {
                continue;
            }
            if (type.endsWith("InferenceExecutor") && method.equals("run")) {
                return "batch assembly";
            }
            if (type.startsWith("javax.imageio") || type.startsWith("com.sun.imageio")
                    || type.endsWith("FrameDecoder") || type.endsWith("RgbImage")) {
                return "decode";
            }
            if (type.endsWith("Preprocessor") || type.endsWith("Resample")) {
                return "preprocess";
            }
            if (type.endsWith("TopK") || type.endsWith("FeatureSummarizer") || type.endsWith("StageSummary")) {
                return "top-k + feature pooling";
            }
            if (type.endsWith("Serde") || type.endsWith("FeatureSummaryWriter") || type.startsWith("com.fasterxml")
                    || type.endsWith("PendingFrameSerde")) {
                return "serialization";
            }
            if (type.startsWith("dev.strata.processor.bench")) {
                return "bench load";
            }
            if (type.startsWith("org.apache.kafka.streams")) {
                return "kafka streams";
            }
        }
        if (thread.startsWith("bench-")) {
            return "bench load";
        }
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("ai.onnxruntime") || type.startsWith("ai.djl")) {
                return "engine input copy + call";
            }
            if (type.startsWith("org.apache.kafka.clients") || type.startsWith("org.apache.kafka.common")) {
                return thread.startsWith("data-plane") || thread.startsWith("kafka-network")
                        || thread.startsWith("broker") ? "broker" : "kafka clients";
            }
            if (type.startsWith("kafka.") || type.startsWith("org.apache.kafka")) {
                return "broker";
            }
        }
        return "other";
    }

    private static String name(RecordedMethod method) {
        String type = method.getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + method.getName();
    }
}
