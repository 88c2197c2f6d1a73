package dev.strata.processor.ops;

import dev.strata.processor.events.StreamEvent;
import dev.strata.processor.frame.RejectReason;
import dev.strata.processor.inference.Outcome.DropReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Strata's own meters (the README's Metrics table lists them as scraped). Micrometer adds the
 * unit and Prometheus suffixes on export: the timer {@code strata.inference} is scraped as the
 * histogram {@code strata_inference_seconds}, the counter {@code strata.frames.consumed} as
 * {@code strata_frames_consumed_total}. The model, engine and device tags are common tags set on
 * the registry.
 */
public final class StrataMetrics {

    /** Per-frame and per-batch work: from a millisecond to the default 30 s inference budget. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    /** Capture to publication also holds the consumer's backlog, which can reach minutes. */
    static final Duration[] END_TO_END_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(5)
    };

    /** Batch sizes are usually powers of two; strata.batch.size may go up to 4096. */
    static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};

    private final MeterRegistry registry;
    private final Counter consumed;
    private final Counter labelled;
    private final Counter inferenceErrors;
    private final Map<RejectReason, Counter> deadLettered = new EnumMap<>(RejectReason.class);
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Map<String, Counter> events = new HashMap<>();
    private final DistributionSummary batchSize;
    private final DistributionSummary sceneDistance;
    private final Timer queueWait;
    private final Timer preprocess;
    private final Timer inference;
    private final Timer endToEnd;
    private final AtomicLong modelLoadNanos = new AtomicLong();
    private final AtomicLong modelWarmupNanos = new AtomicLong();

    public StrataMetrics(MeterRegistry registry) {
        this.registry = registry;
        consumed = Counter.builder("strata.frames.consumed")
                .description("Frames read from the input topic")
                .register(registry);
        labelled = Counter.builder("strata.frames.labelled")
                .description("Frames whose labels were published")
                .register(registry);
        // Every reason is registered at zero, so dashboards and alerts see each series
        // before its first event (rate() needs two samples).
        for (RejectReason reason : RejectReason.values()) {
            deadLettered.put(reason, Counter.builder("strata.frames.dead.lettered")
                    .description("Frames sent to the dead-letter topic, by reason")
                    .tag("reason", tag(reason))
                    .register(registry));
        }
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder("strata.frames.dropped")
                    .description("Frames dropped by a configured policy, by reason")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
        inferenceErrors = Counter.builder("strata.inference.errors")
                .description("Batches the engine failed to run (their frames are retried one by one)")
                .register(registry);
        batchSize = DistributionSummary.builder("strata.batch.size")
                .description("Frames per inference batch")
                .baseUnit("frames")
                .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
                .register(registry);
        // Events are registered whether or not strata.events is on: an absent series would hide it.
        for (String type : StreamEvent.TYPES) {
            events.put(type, Counter.builder("strata.events")
                    .description("Events published, by type")
                    .tag("type", type)
                    .register(registry));
        }
        // In thousandths: Micrometer's histogram buckets count whole numbers only (values below 1
        // all landed in the first bucket at or above 1), and distances live in 0..2.
        sceneDistance = DistributionSummary.builder("strata.events.scene.distance")
                .description("Cosine distance between consecutive frames of a stream, in thousandths")
                .baseUnit("permille")
                .scale(1000)
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000)
                .register(registry);
        queueWait = latency("strata.queue.wait", "Time a preprocessed frame waited for its batch to start",
                LATENCY_BUCKETS);
        preprocess = latency("strata.preprocess", "Decode and preprocess time per frame", LATENCY_BUCKETS);
        inference = latency("strata.inference", "Engine time per batch", LATENCY_BUCKETS);
        endToEnd = latency("strata.end.to.end", "Capture timestamp to publication of the frame's labels",
                END_TO_END_BUCKETS);
        TimeGauge.builder("strata.model.load", modelLoadNanos, TimeUnit.NANOSECONDS, AtomicLong::get)
                .description("Time to load the model into the engine")
                .register(registry);
        TimeGauge.builder("strata.model.warmup", modelWarmupNanos, TimeUnit.NANOSECONDS, AtomicLong::get)
                .description("Time of the warm-up batches run before the instance can become ready")
                .register(registry);
    }

    private Timer latency(String name, String description, Duration[] buckets) {
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(buckets)
                .register(registry);
    }

    /** The metric tag of a dead-letter reason, e.g. {@code unsupported_type}. */
    public static String tag(RejectReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void frameConsumed() {
        consumed.increment();
    }

    public void frameLabelled() {
        labelled.increment();
    }

    public void frameDeadLettered(RejectReason reason) {
        deadLettered.get(reason).increment();
    }

    public void frameDropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    /** @param type one of {@link StreamEvent#TYPES} */
    public void event(String type) {
        Counter counter = events.get(type);
        if (counter == null) {
            throw new IllegalArgumentException("unknown event type " + type + "; known: " + StreamEvent.TYPES);
        }
        counter.increment();
    }

    /** Distances between consecutive frames of a stream: what to tune the scene-change threshold on. */
    public void sceneDistance(double cosineDistance) {
        sceneDistance.record(cosineDistance);
    }

    public void inferenceError() {
        inferenceErrors.increment();
    }

    public void batch(int frames, long inferenceNanos) {
        batchSize.record(frames);
        inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
    }

    public void queueWait(long nanos) {
        queueWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void preprocess(long nanos) {
        preprocess.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Negative when the producer's clock runs ahead of ours; recorded as zero. */
    public void endToEnd(long millis) {
        endToEnd.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public void modelLoaded(long loadNanos, long warmupNanos) {
        modelLoadNanos.set(loadNanos);
        modelWarmupNanos.set(warmupNanos);
    }

    /** Frames submitted to the inference executor and not yet completed, read from {@code inFlight}. */
    public void framesInFlight(IntSupplier inFlight) {
        Gauge.builder("strata.frames.in.flight", inFlight::getAsInt)
                .description("Frames submitted to the inference executor and not yet completed")
                .strongReference(true)
                .register(registry);
    }

    /** 1 while the instance would answer its readiness and liveness probes with 200, else 0. */
    public void health(BooleanSupplier ready, BooleanSupplier live) {
        Gauge.builder("strata.ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 when /health/ready answers 200: model warmed up and Kafka Streams RUNNING")
                .strongReference(true)
                .register(registry);
        Gauge.builder("strata.live", () -> live.getAsBoolean() ? 1 : 0)
                .description("1 when /health/live answers 200: stream client alive and inference not wedged")
                .strongReference(true)
                .register(registry);
    }
}
