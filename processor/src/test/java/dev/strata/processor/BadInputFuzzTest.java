package dev.strata.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.batch.PendingFrame;
import dev.strata.processor.frame.DeadLetter;
import dev.strata.processor.frame.RejectReason;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import dev.strata.processor.testing.FrameFuzzer;
import dev.strata.processor.testing.FuzzSeed;
import dev.strata.processor.testing.TopologyHarness;
import io.micrometer.core.instrument.Counter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile frames (see {@link FrameFuzzer}) through the real topology on the tiny
 * ConvMLP, without a broker: each frame ends labelled or dead-lettered with a reason its kind
 * allows, nothing escapes {@code process()} or the punctuator, the counts add up, nothing stays
 * pending, and no frame makes the decoder allocate more than its pixel limits allow.
 *
 * <p>{@code -Dstrata.fuzz.seed=N|random} and {@code -Dstrata.fuzz.frames=N} rerun or widen it; the
 * seed is printed.
 */
class BadInputFuzzTest {

    private static final int MAX_BYTES = 1 << 20;
    private static final long MAX_PIXELS = 1_000_000;
    /**
     * Most one frame may allocate while processed on the stream thread (decoding included, as
     * decode-threads is 0 here): its copies in the pending store and changelog (at most 1 MiB
     * each), the decoded raster (at most 1 MP x 8 bytes, for 16-bit RGBA) and its conversion to
     * RGB. A decoder that ignored the limits on the 8000x8000 bomb would allocate 64 MB.
     */
    private static final long MAX_ALLOCATED_PER_FRAME = 24L << 20;
    /** Retained heap after the run; a leak of the frames alone would hold over 50 MB. */
    private static final long MAX_RETAINED_HEAP = 24L << 20;

    private TopologyHarness harness;
    private TopologyTestDriver driver;

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
    void everyHostileFrameIsLabelledOrDeadLetteredAndMemoryStaysBounded() {
        long seed = FuzzSeed.seed();
        int frames = Integer.getInteger("strata.fuzz.frames", 3000);
        System.out.println("BadInputFuzzTest: " + frames + " frames, seed " + seed + " (rerun with -D"
                + FuzzSeed.PROPERTY + "=" + seed + ")");
        harness = new TopologyHarness(Map.of(
                "STRATA_BATCH_SIZE", "8", "STRATA_BATCH_MAX_DELAY", "10ms",
                "STRATA_BATCH_DECODE_THREADS", "0",
                "STRATA_FRAME_MAX_BYTES", Integer.toString(MAX_BYTES),
                "STRATA_FRAME_MAX_PIXELS", Long.toString(MAX_PIXELS),
                "STRATA_FRAME_MAX_SIDE", "4096"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fuzz");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(harness.topology(), props, Instant.now());
        TestInputTopic<byte[], byte[]> input =
                driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
        FrameFuzzer fuzzer = new FrameFuzzer(seed, MAX_BYTES);
        List<FrameFuzzer.Case> cases = fuzzer.cases(frames);
        Outputs outputs = new Outputs(driver, cases);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heapBefore = settledHeap();

        List<String> escaped = new ArrayList<>();
        long maxAllocated = 0;
        String maxAllocatedCase = "";
        for (int offset = 0; offset < cases.size(); offset++) {
            FrameFuzzer.Case c = cases.get(offset);
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                input.pipeInput(new TestRecord<>(c.key(), c.value(), c.headers()));
            } catch (RuntimeException e) {
                escaped.add("offset " + offset + ", " + c + ": " + e);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated > maxAllocated) {
                maxAllocated = allocated;
                maxAllocatedCase = "offset " + offset + ", " + c.kind() + ": " + c.detail();
            }
            if (offset % 200 == 0) {
                outputs.collect();
            }
        }
        assertThat(escaped).as("exceptions out of process() (seed %d)", seed).isEmpty();
        outputs.awaitAll(frames);

        Map<Long, String> fates = outputs.fates(cases.size());
        List<String> wrong = new ArrayList<>();
        Map<String, Map<String, Integer>> tally = new TreeMap<>();
        for (int offset = 0; offset < cases.size(); offset++) {
            FrameFuzzer.Case c = cases.get(offset);
            String fate = fates.get((long) offset);
            boolean allowed = fate.equals("labelled") ? c.expect().admitsLabel()
                    : c.expect().admits(RejectReason.valueOf(fate));
            if (!allowed) {
                wrong.add("offset " + offset + " " + c + " -> " + fate + ", expected " + c.expect());
            }
            tally.computeIfAbsent(c.kind().startsWith("decompression") ? c.kind() + " " + c.detail() : c.kind(), k -> new TreeMap<>()).merge(fate, 1,
                    Integer::sum);
        }
        tally.forEach((kind, counts) -> System.out.println("  " + kind + ": " + counts));
        System.out.println("  most allocated by one frame: " + maxAllocated / 1024 + " KiB (" + maxAllocatedCase
                + ")");
        assertThat(wrong).as("frames with a fate their kind does not allow (seed %d)", seed).isEmpty();
        assertThat(outputs.altered).as("dead letters that do not carry the original key and value").isEmpty();

        double consumed = harness.registry.get("strata.frames.consumed").counter().count();
        double labelled = harness.registry.get("strata.frames.labelled").counter().count();
        double deadLettered = sum("strata.frames.dead.lettered");
        double dropped = sum("strata.frames.dropped");
        assertThat(consumed).isEqualTo(frames);
        assertThat(labelled + deadLettered + dropped).isEqualTo(consumed);
        assertThat(labelled).isEqualTo(outputs.labels.size());
        assertThat(deadLettered).isEqualTo(outputs.deadLetters.size());
        assertThat(outputs.features).as("one feature summary per label").isEqualTo(outputs.labels.size());
        assertThat(harness.executor.inFlight()).isZero();
        KeyValueStore<Long, PendingFrame> pending = driver.getKeyValueStore(StrataTopology.PENDING_STORE);
        try (KeyValueIterator<Long, PendingFrame> left = pending.all()) {
            assertThat(left.hasNext()).as("frames left in the pending store").isFalse();
        }

        assertThat(maxAllocated).as("bytes one frame allocated on the stream thread (%s)", maxAllocatedCase)
                .isLessThan(MAX_ALLOCATED_PER_FRAME);
        outputs.clear();
        assertThat(settledHeap() - heapBefore).as("heap retained after the run").isLessThan(MAX_RETAINED_HEAP);
    }

    private double sum(String counter) {
        return harness.registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long settledHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Everything the topology wrote, read off as it comes so the driver holds no backlog. */
    private static final class Outputs {
        final TopologyTestDriver driver;
        final List<FrameFuzzer.Case> cases;
        final TestOutputTopic<String, LabelRecord> labelTopic;
        final TestOutputTopic<byte[], byte[]> dlqTopic;
        final TestOutputTopic<String, byte[]> featureTopic;
        final TestOutputTopic<byte[], byte[]> changelog;
        final List<LabelRecord> labels = new ArrayList<>();
        final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        final List<String> altered = new ArrayList<>();
        int features;

        Outputs(TopologyTestDriver driver, List<FrameFuzzer.Case> cases) {
            this.driver = driver;
            this.cases = cases;
            labelTopic = driver.createOutputTopic("frames.labels", new StringDeserializer(),
                    new LabelRecordSerde().deserializer());
            dlqTopic = driver.createOutputTopic("frames.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            featureTopic = driver.createOutputTopic("frames.features", new StringDeserializer(),
                    new ByteArrayDeserializer());
            changelog = driver.createOutputTopic("fuzz-" + StrataTopology.PENDING_STORE + "-changelog",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        void collect() {
            labelTopic.readValuesToList().forEach(labels::add);
            for (TestRecord<byte[], byte[]> letter : dlqTopic.readRecordsToList()) {
                FrameFuzzer.Case original = cases.get(Integer.parseInt(header(letter, DeadLetter.SOURCE_OFFSET)));
                if (!Arrays.equals(letter.key(), original.key()) || !Arrays.equals(letter.value(), original.value())) {
                    altered.add(header(letter, DeadLetter.SOURCE_OFFSET) + " " + original);
                }
                // The frame itself is not needed any more; its headers say what became of it.
                deadLetters.add(new TestRecord<>(null, null, letter.headers(), letter.getRecordTime()));
            }
            features += featureTopic.readValuesToList().size();
            changelog.readRecordsToList();
        }

        /** Runs the drain punctuator on the driver's wall clock until every frame has an outcome. */
        void awaitAll(int frames) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (labels.size() + deadLetters.size() < frames) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("after 60 s only " + labels.size() + " labels and " + deadLetters.size()
                            + " dead letters for " + frames + " frames");
                }
                driver.advanceWallClockTime(Duration.ofMillis(5));
                collect();
                Thread.onSpinWait();
            }
        }

        /** Offset -> "labelled" or the dead letter's reason; each offset must have exactly one. */
        Map<Long, String> fates(int frames) {
            Map<Long, String> fates = new TreeMap<>();
            for (LabelRecord label : labels) {
                assertThat(fates.put(label.source().offset(), "labelled")).as("second outcome of offset %d",
                        label.source().offset()).isNull();
            }
            for (TestRecord<byte[], byte[]> letter : deadLetters) {
                long offset = Long.parseLong(header(letter, DeadLetter.SOURCE_OFFSET));
                assertThat(header(letter, DeadLetter.ERROR_MESSAGE)).isNotBlank();
                assertThat(fates.put(offset, header(letter, DeadLetter.ERROR_CLASS)))
                        .as("second outcome of offset %d", offset).isNull();
            }
            assertThat(fates).hasSize(frames);
            return fates;
        }

        void clear() {
            labels.clear();
            deadLetters.clear();
        }

        private static String header(TestRecord<byte[], byte[]> record, String name) {
            Header header = record.headers().lastHeader(name);
            return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
        }
    }
}
