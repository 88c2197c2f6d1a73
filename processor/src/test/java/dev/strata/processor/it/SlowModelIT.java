package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.testing.BrokerHarness;
import dev.strata.processor.testing.InProcessKafka;
import dev.strata.processor.testing.SlowBackbone;
import dev.strata.processor.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A slow model against a real broker, with a small {@code max.poll.interval.ms} (6 s: Kafka
 * Streams polls again once 3 s have passed) and the tiny ConvMLP behind {@link SlowBackbone}, a
 * simulated device that takes 2.4 s per batch: 24 times max-delay, close to the 3 s Kafka Streams
 * leaves for one more round of processing. 32 frames arrive at once and only 8 fit in flight, so
 * the stream thread spends the run waiting for slots in {@code process()}.
 *
 * <p>Settings at the edge of StrataConfig's slow-model bound: inference-budget 2.5 s &le; max-block
 * 2.8 s &lt; max.poll.interval.ms / 2 = 3 s. (Without the bound, a 7 s batch with
 * the same poll interval gets the thread thrown out of its group on every batch, and the frames
 * stop flowing: tried by hand with the check disabled.)
 */
class SlowModelIT {

    private static final Map<String, String> SLOW = Map.of(
            "STRATA_KAFKA_MAX_POLL_INTERVAL_MS", "6000",
            "STRATA_BATCH_SIZE", "4",
            "STRATA_BATCH_MAX_DELAY", "100ms",
            "STRATA_BATCH_MAX_IN_FLIGHT", "8",
            "STRATA_BATCH_INFERENCE_BUDGET", "2500ms",
            "STRATA_BATCH_MAX_BLOCK", "2800ms");
    private static final Duration BATCH_TIME = Duration.ofMillis(2400);
    private static final int FRAMES = 32;
    private static final int STALL_FRAMES = 16;

    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    @BeforeAll
    static void createTopics() throws Exception {
        broker.kafka().createTopics(4, BrokerHarness.TOPICS);
        // Each test reads its own input topic, so neither app processes the other's frames.
        broker.kafka().createTopics(4, List.of("frames-ok", "frames-stall"));
    }

    @Test
    void aModelSlowerThanMaxDelayButWithinItsBudgetNeverCostsAGroupSeat() throws Exception {
        AtomicReference<SlowBackbone> device = new AtomicReference<>();
        try (StrataApp app = StrataApp.start(config("ok"),
                engine -> { device.set(new SlowBackbone(engine, BATCH_TIME)); return device.get(); });
             KafkaProducer<byte[], byte[]> producer = broker.harness().producer();
             Watch watch = Watch.start(app)) {
            watch.awaitRunning();
            double rebalances = rebalances(app);
            long start = System.nanoTime();

            sendFrames(producer, "ok", FRAMES);
            List<ConsumerRecord<String, LabelRecord>> labels = labelsOf("ok", Duration.ofSeconds(120), FRAMES);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("SlowModelIT: " + FRAMES + " frames in " + took.toMillis() + " ms, "
                    + device.get().batches() + " batches, at most " + watch.maxInFlight() + " in flight, states "
                    + watch.states() + ", rebalances " + rebalances + " -> " + rebalances(app));

            assertThat(labels).extracting(r -> r.value().frameId()).doesNotHaveDuplicates().hasSize(FRAMES);
            perStreamOrder(labels).values().forEach(ids -> assertThat(ids).isSorted());
            assertThat(labels).allSatisfy(r -> assertThat(r.value().timings().inferenceMs())
                    .isGreaterThanOrEqualTo(BATCH_TIME.toMillis()));
            // The run spanned several poll intervals with the executor full: the thread waited in process().
            assertThat(took).isGreaterThan(Duration.ofSeconds(12));
            assertThat(watch.maxInFlight()).isEqualTo(8);
            assertThat(watch.states()).containsOnly(KafkaStreams.State.RUNNING);
            assertThat(rebalances(app)).as("rebalances of the main consumer since it started").isEqualTo(rebalances);
            assertThat(failedStreamThreads(app)).as("stream threads that died").isZero();
        }
    }

    @Test
    void aModelThatBreaksItsBudgetStallsAStreamThreadWhichIsReplacedAndNoFrameIsLost() throws Exception {
        AtomicReference<SlowBackbone> device = new AtomicReference<>();
        try (StrataApp app = StrataApp.start(config("stall"),
                engine -> { device.set(new SlowBackbone(engine, BATCH_TIME)); return device.get(); });
             KafkaProducer<byte[], byte[]> producer = broker.harness().producer();
             Watch watch = Watch.start(app)) {
            watch.awaitRunning();

            // The first batch takes 6 s, over max-block: the stream thread, which has filled the 8
            // slots and waits for one with 8 frames to go, gives up.
            device.get().slowOnce(Duration.ofSeconds(6));
            sendFrames(producer, "stall", STALL_FRAMES);
            List<ConsumerRecord<String, LabelRecord>> labels =
                    labelsOf("stall", Duration.ofSeconds(180), STALL_FRAMES);
            System.out.println("SlowModelIT: stalled run: " + labels.size() + " labels for " + STALL_FRAMES
                    + " frames, " + device.get().batches() + " batches, states " + watch.states() + ", "
                    + failedStreamThreads(app) + " stream threads failed");

            // At least once: a frame labelled before the thread died but after its last commit is labelled again.
            assertThat(labels.stream().map(r -> r.value().frameId()).distinct()).hasSize(STALL_FRAMES);
            // The stalled thread dies and is replaced; the replacement may stall too, in its task's init,
            // while the slow batch still holds slots.
            assertThat(failedStreamThreads(app)).as("stream threads that died").isPositive();
            watch.awaitRunning();
        }
    }

    private static StrataConfig config(String test) {
        Map<String, String> env = new HashMap<>(SLOW);
        env.put("STRATA_TOPICS_FRAMES", "frames-" + test);
        return broker.harness().config("slow-" + test, env);
    }

    /** Frames {@code <test>-0 ..} on the test's own input topic, four streams. */
    private static void sendFrames(KafkaProducer<byte[], byte[]> producer, String test, int frames) {
        byte[] jpeg = TestImages.encode(TestImages.drawing(160, 120), "jpg");
        for (int i = 0; i < frames; i++) {
            producer.send(new ProducerRecord<>("frames-" + test, null, ("cam-" + (i % 4)).getBytes(
                    StandardCharsets.UTF_8), jpeg, TestImages.headers("frame-id", test + "-" + i, "content-type",
                    "image/jpeg", "capture-ts", Long.toString(System.currentTimeMillis()))));
        }
        producer.flush();
    }

    /**
     * Labels of this test's frames (the topic is shared by the tests), read until {@code frames}
     * distinct frames are labelled; duplicates are kept.
     */
    private static List<ConsumerRecord<String, LabelRecord>> labelsOf(String prefix, Duration timeout, int frames) {
        return broker.harness().readLabels(false, timeout, seen -> ours(seen, prefix).stream()
                .map(r -> r.value().frameId()).distinct().count() >= frames).stream()
                .filter(r -> r.value().frameId().startsWith(prefix + "-")).toList();
    }

    private static List<ConsumerRecord<String, LabelRecord>> ours(List<ConsumerRecord<String, LabelRecord>> seen,
                                                                 String prefix) {
        return seen.stream().filter(r -> r.value().frameId().startsWith(prefix + "-")).toList();
    }

    private static Map<String, List<Integer>> perStreamOrder(List<ConsumerRecord<String, LabelRecord>> labels) {
        return labels.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.mapping(
                r -> Integer.parseInt(r.value().frameId().substring(r.value().frameId().indexOf('-') + 1)),
                Collectors.toList())));
    }

    /** Kafka Streams' count of stream threads that died (and were replaced) since the client started. */
    private static double failedStreamThreads(StrataApp app) {
        return app.streams().metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-metrics")
                        && e.getKey().name().equals("failed-stream-threads"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    /** Completed rebalances of the main consumers (the classic protocol's coordinator metric). */
    private static double rebalances(StrataApp app) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : app.streams().metrics().entrySet()) {
            MetricName name = e.getKey();
            if (name.group().equals("consumer-coordinator-metrics") && name.name().equals("rebalance-total")
                    && !name.tags().getOrDefault("client-id", "").contains("restore")) {
                total += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    /** Samples the client state and the frames in flight every 10 ms while a test runs. */
    private static final class Watch implements AutoCloseable {
        private final StrataApp app;
        private final Set<KafkaStreams.State> states = ConcurrentHashMap.newKeySet();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private final Thread sampler;
        private volatile boolean running = true;
        private volatile boolean seenRunning;

        private Watch(StrataApp app) {
            this.app = app;
            this.sampler = new Thread(this::sample, "slow-model-watch");
        }

        static Watch start(StrataApp app) {
            Watch watch = new Watch(app);
            watch.sampler.setDaemon(true);
            watch.sampler.start();
            return watch;
        }

        private void sample() {
            while (running) {
                KafkaStreams.State state = app.streams().state();
                if (state == KafkaStreams.State.RUNNING) {
                    seenRunning = true;
                }
                if (seenRunning) {
                    states.add(state);
                }
                maxInFlight.accumulateAndGet((int) app.registry().get("strata.frames.in.flight").gauge().value(),
                        Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Waits for RUNNING; from the first RUNNING on, every state is recorded. */
        void awaitRunning() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (app.streams().state() != KafkaStreams.State.RUNNING) {
                assertThat(System.nanoTime()).as("RUNNING within 60 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        Set<KafkaStreams.State> states() {
            return Set.copyOf(states);
        }

        int maxInFlight() {
            return maxInFlight.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sampler.interrupt();
            sampler.join();
        }
    }
}
