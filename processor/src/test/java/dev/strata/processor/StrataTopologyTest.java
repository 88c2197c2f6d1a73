package dev.strata.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.frame.DeadLetter;
import dev.strata.processor.output.FeatureSummary;
import dev.strata.processor.output.FeatureSummaryReader;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import dev.strata.processor.testing.TestImages;
import dev.strata.processor.testing.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topology's logic, without a broker, on the real tiny ConvMLP. */
class StrataTopologyTest {

    private TopologyHarness harness;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<String, LabelRecord> labels;
    private TestOutputTopic<String, byte[]> features;
    private TestOutputTopic<byte[], byte[]> dlq;
    private final List<TestRecord<String, LabelRecord>> labelsSeen = new ArrayList<>();

    private void start(Map<String, String> env) {
        harness = new TopologyHarness(env);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "strata-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(harness.topology(), props, Instant.now());
        frames = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
        labels = driver.createOutputTopic("frames.labels", new StringDeserializer(),
                new LabelRecordSerde().deserializer());
        features = driver.createOutputTopic("frames.features", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("frames.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aFullBatchRunsAtOnceAndEveryFrameGetsItsLabels() {
        start(Map.of("STRATA_BATCH_SIZE", "4", "STRATA_BATCH_MAX_DELAY", "60s"));

        for (int i = 0; i < 4; i++) {
            pipeFrame("cam-1", "f" + i);
        }
        List<TestRecord<String, LabelRecord>> out = awaitLabels(4);

        assertThat(out).extracting(r -> r.value().frameId()).containsExactly("f0", "f1", "f2", "f3");
        assertThat(out).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("cam-1");
            assertThat(r.value().batchSize()).isEqualTo(4);
            assertThat(r.value().labels()).hasSize(3);
            assertThat(r.value().model().name()).isEqualTo("tiny-convmlp");
        });
    }

    @Test
    void aPartialBatchRunsWhenItsOldestFrameHasWaitedMaxDelay() {
        start(Map.of("STRATA_BATCH_SIZE", "8", "STRATA_BATCH_MAX_DELAY", "150ms"));
        long start = System.nanoTime();

        for (int i = 0; i < 3; i++) {
            pipeFrame("cam-1", "f" + i);
        }
        List<TestRecord<String, LabelRecord>> out = awaitLabels(3);

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
        assertThat(out).allSatisfy(r -> assertThat(r.value().batchSize()).isEqualTo(3));
    }

    @Test
    void labelsOfEachStreamKeepTheirFrameOrderAcrossBatches() {
        start(Map.of("STRATA_BATCH_SIZE", "3", "STRATA_BATCH_MAX_DELAY", "20ms"));

        for (int i = 0; i < 10; i++) {
            pipeFrame(i % 2 == 0 ? "cam-a" : "cam-b", "f" + i);
        }
        List<TestRecord<String, LabelRecord>> out = awaitLabels(10);

        assertThat(out).extracting(r -> r.value().source().offset())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(out).filteredOn(r -> r.key().equals("cam-a")).extracting(r -> r.value().frameId())
                .containsExactly("f0", "f2", "f4", "f6", "f8");
    }

    @Test
    void everyKindOfBadInputGoesToTheDeadLetterTopicWithItsReason() {
        start(Map.of("STRATA_BATCH_SIZE", "2", "STRATA_BATCH_MAX_DELAY", "20ms",
                "STRATA_FRAME_MAX_BYTES", "200000", "STRATA_FRAME_MAX_PIXELS", "1000000"));
        byte[] jpeg = TestImages.encode(TestImages.drawing(96, 64), "jpg");

        pipe(null, jpeg, headers());                                          // BAD_KEY
        pipe("cam-1", new byte[0], headers());                                // EMPTY
        pipe("cam-1", jpeg, headers("capture-ts", "yesterday"));              // BAD_HEADER
        pipe("cam-1", jpeg, headers("content-type", "image/gif"));            // UNSUPPORTED_TYPE
        pipe("cam-1", new byte[300_000], headers("content-type", "image/jpeg")); // TOO_LARGE_BYTES
        pipe("cam-1", TestImages.pngDeclaring(100_000, 100_000), headers());  // TOO_MANY_PIXELS
        pipe("cam-1", "not an image".getBytes(StandardCharsets.UTF_8),
                headers("content-type", "image/png"));                         // UNDECODABLE
        pipe("cam-1", java.util.Arrays.copyOf(jpeg, jpeg.length / 2), headers()); // CORRUPT
        pipeFrame("cam-1", "good");

        awaitLabels(1);
        List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
        assertThat(letters).extracting(r -> header(r.headers(), DeadLetter.ERROR_CLASS)).containsExactly(
                "BAD_KEY", "EMPTY", "BAD_HEADER", "UNSUPPORTED_TYPE", "TOO_LARGE_BYTES", "TOO_MANY_PIXELS",
                "UNDECODABLE", "CORRUPT");
        assertThat(letters).allSatisfy(r -> {
            assertThat(header(r.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo("frames");
            assertThat(header(r.headers(), DeadLetter.ERROR_MESSAGE)).isNotBlank();
        });
        assertThat(letters.get(1).headers().lastHeader(DeadLetter.SOURCE_OFFSET).value())
                .isEqualTo("1".getBytes(StandardCharsets.UTF_8));
        assertThat(letters.get(2).value()).isEqualTo(jpeg);
        assertThat(harness.registry.get("strata.frames.dead.lettered").tag("reason", "corrupt").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void featureSummariesHaveOneEntryPerStageWithTheGlobalAverage() {
        start(Map.of("STRATA_BATCH_SIZE", "1", "STRATA_OUTPUT_FEATURES_GRID", "2"));

        pipeFrame("cam-1", "f0");
        awaitLabels(1);

        List<TestRecord<String, byte[]>> out = features.readRecordsToList();
        assertThat(out).hasSize(1);
        FeatureSummary summary = FeatureSummaryReader.read(out.get(0).value());
        assertThat(summary.streamId()).isEqualTo("cam-1");
        assertThat(summary.frameId()).isEqualTo("f0");
        assertThat(summary.stages()).extracting(s -> s.name()).containsExactlyElementsOf(TopologyHarness.stageNames());
        assertThat(summary.stages()).extracting(s -> s.stride()).containsExactly(4, 8, 16, 32);
        assertThat(summary.stages()).allSatisfy(s -> {
            assertThat(s.pooled()).hasSize(s.channels());
            assertThat(s.cells()).hasSize(4 * s.channels());
        });
    }

    @Test
    void framesOlderThanTheStalenessLimitAreDroppedAndCountedNotLabelled() {
        start(Map.of("STRATA_BATCH_SIZE", "1", "STRATA_BATCH_STALENESS", "10s"));

        pipe("cam-1", jpeg(), headers("frame-id", "old", "capture-ts",
                Long.toString(System.currentTimeMillis() - 60_000)));
        pipeFrame("cam-1", "fresh");

        assertThat(awaitLabels(1)).extracting(r -> r.value().frameId()).containsExactly("fresh");
        assertThat(harness.registry.get("strata.frames.dropped").tag("reason", "stale").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void eventsReportACutBetweenTwoScenesOfAStreamFromTheModelsOwnFeatures() {
        start(Map.of("STRATA_BATCH_SIZE", "4", "STRATA_EVENTS_ENABLED", "true"));
        TestOutputTopic<String, dev.strata.processor.events.StreamEvent> events = driver.createOutputTopic(
                "frames.events", new StringDeserializer(),
                new dev.strata.processor.events.StreamEventSerde().deserializer());
        byte[] night = TestImages.encode(TestImages.solid(96, 64, java.awt.image.BufferedImage.TYPE_INT_RGB,
                new java.awt.Color(10, 10, 40)), "jpg");
        byte[] day = TestImages.encode(TestImages.drawing(96, 64), "jpg");

        for (int i = 0; i < 12; i++) {
            pipe("cam-1", i < 6 ? night : day, headers("frame-id", "f" + i, "content-type", "image/jpeg"));
        }
        awaitLabels(12);

        List<dev.strata.processor.events.StreamEvent> out = events.readValuesToList();
        assertThat(out).extracting(e -> e.type()).containsExactly("scene_change");
        assertThat(out.get(0).frameId()).isEqualTo("f6");
        assertThat(out.get(0).previousFrameId()).isEqualTo("f5");
    }

    private byte[] jpeg() {
        return TestImages.encode(TestImages.drawing(96, 64), "jpg");
    }

    private void pipeFrame(String stream, String frameId) {
        pipe(stream, jpeg(), headers("frame-id", frameId, "content-type", "image/jpeg"));
    }

    private void pipe(String stream, byte[] value, Headers headers) {
        byte[] key = stream == null ? null : stream.getBytes(StandardCharsets.UTF_8);
        frames.pipeInput(new TestRecord<>(key, value, headers));
    }

    private static Headers headers(String... namesAndValues) {
        return namesAndValues.length == 0 ? new RecordHeaders() : TestImages.headers(namesAndValues);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Advances the driver's wall clock, which runs the drain punctuator, until n labels came out. */
    private List<TestRecord<String, LabelRecord>> awaitLabels(int n) {
        awaitCondition(() -> {
            driver.advanceWallClockTime(Duration.ofMillis(5));
            labelsSeen.addAll(labels.readRecordsToList());
            return labelsSeen.size() >= n;
        });
        assertThat(labelsSeen).hasSize(n);
        return labelsSeen;
    }

    private static void awaitCondition(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
