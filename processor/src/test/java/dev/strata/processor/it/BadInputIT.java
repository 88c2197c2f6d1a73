package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.StrataApp;
import dev.strata.processor.frame.DeadLetter;
import dev.strata.processor.frame.RejectReason;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import dev.strata.processor.testing.BrokerHarness;
import dev.strata.processor.testing.InProcessKafka;
import dev.strata.processor.testing.FrameFuzzer;
import dev.strata.processor.testing.FuzzSeed;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile frames through a real broker: a smaller run of {@link FrameFuzzer} than the topology
 * test, plus frames whose key or headers are larger than any output record may be (they would
 * make the changelog or dead-letter write fail on every retry and wedge the stream thread).
 * Every frame ends labelled or dead-lettered exactly once, the metric counts add up, and no
 * stream thread dies.
 */
class BadInputIT {

    /** Small limits, so that over-large records cost little: 128 KiB frames, 192 KiB requests. */
    private static final int MAX_BYTES = 128 * 1024;
    private static final int MAX_REQUEST = 192 * 1024;

    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    @BeforeAll
    static void createTopics() throws Exception {
        broker.kafka().createTopics(4, BrokerHarness.TOPICS);
    }

    @Test
    void everyHostileFrameEndsLabelledOrDeadLetteredOnceWithoutKillingAStreamThread() throws Exception {
        long seed = FuzzSeed.seed();
        int frames = Integer.getInteger("strata.fuzz.it.frames", 400);
        System.out.println("BadInputIT: " + frames + " fuzzed frames, seed " + seed + " (rerun with -D"
                + FuzzSeed.PROPERTY + "=" + seed + ")");
        FrameFuzzer fuzzer = new FrameFuzzer(seed, MAX_BYTES);
        List<FrameFuzzer.Case> cases = new ArrayList<>(fuzzer.cases(frames));
        cases.addAll(fuzzer.oversized(MAX_REQUEST));

        try (StrataApp app = broker.harness().start("fuzz-it", Map.of(
                "STRATA_BATCH_SIZE", "8", "STRATA_BATCH_MAX_DELAY", "20ms",
                "STRATA_FRAME_MAX_BYTES", Integer.toString(MAX_BYTES),
                "STRATA_FRAME_MAX_PIXELS", "1000000", "STRATA_FRAME_MAX_SIDE", "4096",
                "STRATA_KAFKA_PRODUCER_MAX_REQUEST_SIZE", Integer.toString(MAX_REQUEST),
                "STRATA_KAFKA_TOPIC_MAX_MESSAGE_BYTES", Integer.toString(MAX_REQUEST)));
             KafkaProducer<byte[], byte[]> producer = broker.harness().producer()) {
            awaitRunning(app);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (FrameFuzzer.Case c : cases) {
                sent.add(producer.send(new ProducerRecord<>("frames", null, c.key(), c.value(), c.headers())));
            }
            Map<String, FrameFuzzer.Case> byPosition = new HashMap<>();
            for (int i = 0; i < cases.size(); i++) {
                RecordMetadata meta = sent.get(i).get();
                byPosition.put(meta.partition() + "@" + meta.offset(), cases.get(i));
            }

            Map<String, String> fates = awaitFates(cases.size());

            List<String> wrong = new ArrayList<>();
            fates.forEach((position, fate) -> {
                FrameFuzzer.Case c = byPosition.get(position);
                boolean allowed = fate.equals("labelled") ? c.expect().admitsLabel()
                        : c.expect().admits(RejectReason.valueOf(fate));
                if (!allowed) {
                    wrong.add(position + " " + c + " -> " + fate + ", expected " + c.expect());
                }
            });
            assertThat(wrong).as("frames with a fate their kind does not allow (seed %d)", seed).isEmpty();
            assertThat(fates.keySet()).isEqualTo(byPosition.keySet());

            double consumed = count(app, "strata.frames.consumed");
            assertThat(consumed).isEqualTo(cases.size());
            assertThat(count(app, "strata.frames.labelled") + count(app, "strata.frames.dead.lettered")
                    + count(app, "strata.frames.dropped")).isEqualTo(consumed);
            assertThat(count(app, "strata.frames.labelled"))
                    .isEqualTo(fates.values().stream().filter("labelled"::equals).count());
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(failedStreamThreads(app)).as("stream threads that died").isZero();
        }
    }

    private static void awaitRunning(StrataApp app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (app.streams().state() != KafkaStreams.State.RUNNING) {
            assertThat(System.nanoTime()).as("RUNNING within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Kafka Streams' count of stream threads that died (and were replaced) since the client started. */
    private static double failedStreamThreads(StrataApp app) {
        return app.streams().metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-metrics")
                        && e.getKey().name().equals("failed-stream-threads"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static double count(StrataApp app, String counter) {
        return app.registry().find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    /**
     * Reads labels and dead letters until {@code frames} distinct source positions have an
     * outcome; fails on a second outcome for any position.
     */
    private static Map<String, String> awaitFates(int frames) {
        Map<String, String> fates = new HashMap<>();
        List<String> twice = new ArrayList<>();
        LabelRecordSerde labels = new LabelRecordSerde();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(broker.kafka().clientProperties(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("frames.labels", "frames.dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (fates.size() < frames) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("after 90 s only " + fates.size() + " of " + frames
                            + " frames were labelled or dead-lettered");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String position;
                    String fate;
                    if (record.topic().equals("frames.labels")) {
                        LabelRecord label = labels.deserializer().deserialize(record.topic(), record.value());
                        position = label.source().partition() + "@" + label.source().offset();
                        fate = "labelled";
                    } else {
                        position = header(record, DeadLetter.SOURCE_PARTITION) + "@"
                                + header(record, DeadLetter.SOURCE_OFFSET);
                        fate = header(record, DeadLetter.ERROR_CLASS);
                    }
                    if (fates.put(position, fate) != null) {
                        twice.add(position);
                    }
                }
            }
        }
        assertThat(twice).as("frames with two outcomes").isEmpty();
        return fates;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
