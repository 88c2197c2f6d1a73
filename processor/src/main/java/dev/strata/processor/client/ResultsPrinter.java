package dev.strata.processor.client;

import dev.strata.processor.events.StreamEvent;
import dev.strata.processor.events.StreamEventSerde;
import dev.strata.processor.frame.DeadLetter;
import dev.strata.processor.frame.FrameHeaders;
import dev.strata.processor.output.FeatureSummary;
import dev.strata.processor.output.FeatureSummaryReader;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import dev.strata.processor.output.ScoredLabel;
import dev.strata.processor.output.StageSummary;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of Strata's output: one line per labelled frame (top-3 labels, batch size,
 * end-to-end latency), one line of feature-vector norms every Nth frame of a stream, one line
 * per event and one per dead letter. The demo prints with it; run on its own it follows a live deployment:
 *
 * <pre>
 * java -cp 'processor/target/strata-processor.jar:processor/target/lib/*' \
 *     dev.strata.processor.client.ResultsPrinter localhost:9092
 * </pre>
 */
public final class ResultsPrinter {

    private static final int LABELS_SHOWN = 3;

    private final PrintWriter out;
    private final String labelsTopic;
    private final String featuresTopic;
    private final String dlqTopic;
    private final String eventsTopic;
    private final int featuresEvery;
    private final Deserializer<LabelRecord> labels = new LabelRecordSerde().deserializer();
    private final Deserializer<StreamEvent> events = new StreamEventSerde().deserializer();
    private final Map<String, Long> featuresPerStream = new HashMap<>();

    /** @param featuresEvery print the feature line of every Nth frame of each stream; 0 prints none */
    public ResultsPrinter(PrintWriter out, String labelsTopic, String featuresTopic, String dlqTopic,
                          String eventsTopic, int featuresEvery) {
        if (featuresEvery < 0) {
            throw new IllegalArgumentException("featuresEvery must be 0 (none) or positive: " + featuresEvery);
        }
        this.out = out;
        this.labelsTopic = labelsTopic;
        this.featuresTopic = featuresTopic;
        this.dlqTopic = dlqTopic;
        this.eventsTopic = eventsTopic;
        this.featuresEvery = featuresEvery;
    }

    /** The topics this printer reads. */
    public List<String> topics() {
        return List.of(labelsTopic, featuresTopic, dlqTopic, eventsTopic);
    }

    /** Prints one record of any of the {@link #topics()}; returns it decoded when it was a label record. */
    public Optional<LabelRecord> print(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        if (record.topic().equals(labelsTopic)) {
            LabelRecord label = labels.deserialize(record.topic(), record.value());
            out.println(labelLine(label));
            out.flush();
            return Optional.of(label);
        }
        if (record.topic().equals(featuresTopic)) {
            FeatureSummary summary = FeatureSummaryReader.read(record.value());
            long seen = featuresPerStream.merge(summary.streamId(), 1L, Long::sum);
            if (featuresEvery > 0 && (seen - 1) % featuresEvery == 0) {
                out.println(featureLine(summary));
                out.flush();
            }
        } else if (record.topic().equals(dlqTopic)) {
            out.println(deadLetterLine(record));
            out.flush();
        } else if (record.topic().equals(eventsTopic)) {
            out.println(eventLine(events.deserialize(record.topic(), record.value())));
            out.flush();
        }
        return Optional.empty();
    }

    /** {@code cam-1     #17  batch 4  e2e   212 ms  tabby 0.121 | tiger cat 0.080 | Egyptian cat 0.050} */
    public static String labelLine(LabelRecord r) {
        String top = r.labels().stream().limit(LABELS_SHOWN)
                .map(l -> String.format(Locale.ROOT, "%s %.3f", shortName(l), l.score()))
                .collect(Collectors.joining(" | "));
        return String.format(Locale.ROOT, "%-8s #%-5s batch %-2d e2e %5.0f ms  %s", r.streamId(), r.frameId(),
                r.batchSize(), r.timings().endToEndMs(), top);
    }

    /** {@code cam-1     #20  features  stage1 s4 c64 |v|=1.92  stage2 s8 c128 |v|=3.40 ...}: L2 norm of each pooled vector. */
    public static String featureLine(FeatureSummary s) {
        String stages = s.stages().stream()
                .map(st -> String.format(Locale.ROOT, "%s s%d c%d |v|=%.2f", st.name(), st.stride(), st.channels(),
                        norm(st)))
                .collect(Collectors.joining("  "));
        return String.format(Locale.ROOT, "%-8s #%-5s features  %s", s.streamId(), s.frameId(), stages);
    }

    /** {@code cam-1     #42  EVENT scene_change  distance 0.62 after #41}, and likewise per event type. */
    public static String eventLine(StreamEvent e) {
        String detail = switch (e.type()) {
            case StreamEvent.SCENE_CHANGE -> String.format(Locale.ROOT, "distance %.2f after #%s", e.distance(),
                    e.previousFrameId());
            case StreamEvent.LABEL_CHANGE -> String.format(Locale.ROOT, "%s -> %s (%.2f)",
                    e.from() == null ? "-" : shortName(e.from()), shortName(e.to()), e.confidence());
            case StreamEvent.STREAM_IDLE -> String.format(Locale.ROOT, "no frame for %.0f s", e.idleMs() / 1000.0);
            default -> "";
        };
        return String.format(Locale.ROOT, "%-8s #%-5s EVENT %-13s %s", e.streamId(), e.frameId(), e.type(), detail);
    }

    /** {@code cam-1     #3   dead letter UNDECODABLE: ...} */
    public static String deadLetterLine(ConsumerRecord<String, byte[]> r) {
        Header frameId = r.headers().lastHeader(FrameHeaders.FRAME_ID);
        return String.format(Locale.ROOT, "%-8s #%-5s dead letter %s: %s", r.key(),
                frameId == null ? "?" : text(frameId), text(r.headers().lastHeader(DeadLetter.ERROR_CLASS)),
                text(r.headers().lastHeader(DeadLetter.ERROR_MESSAGE)));
    }

    /** The L2 norm of a stage's globally pooled vector. */
    public static double norm(StageSummary stage) {
        double sum = 0;
        for (float v : stage.pooled()) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** ImageNet names list synonyms ("tabby, tabby cat"): the first is enough on one line. */
    private static String shortName(ScoredLabel label) {
        int comma = label.label().indexOf(',');
        return comma > 0 ? label.label().substring(0, comma) : label.label();
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Follows the output topics of the cluster at {@code args[0]} (default localhost:9092) until Ctrl-C. */
    public static void main(String[] args) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "localhost:9092");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "strata-results-printer-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // A dead letter carries a whole frame.
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(20 * 1024 * 1024));
        ResultsPrinter printer = new ResultsPrinter(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                "frames.labels", "frames.features", "frames.dlq", "frames.events", 10);
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            consumer.subscribe(printer.topics());
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    printer.print(record);
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: the consumer leaves its group on close.
        }
    }
}
