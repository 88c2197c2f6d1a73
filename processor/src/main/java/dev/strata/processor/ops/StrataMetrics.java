package dev.strata.processor.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Strata's own meters. Names follow Prometheus conventions once exported (a counter
 * {@code strata.frames.consumed} is scraped as {@code strata_frames_consumed_total}); the model,
 * engine and device tags are common tags set on the registry.
 */
public final class StrataMetrics {

    /** Latency buckets: real-time video cares about 1 ms to a few seconds. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final MeterRegistry registry;
    private final Counter consumed;
    private final Counter labelled;
    private final Counter inferenceErrors;
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
        consumed =
                Counter.builder("strata.frames.consumed")
                        .description("Frames read from the input topic")
                        .register(registry);
        labelled =
                Counter.builder("strata.frames.labelled")
                        .description("Frames whose labels were published")
                        .register(registry);
        inferenceErrors =
                Counter.builder("strata.inference.errors")
                        .description("Batches the engine failed to run (frames are retried one by one)")
                        .register(registry);
        batchSize =
                DistributionSummary.builder("strata.batch.size")
                        .description("Frames per inference batch")
                        .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
                        .register(registry);
        sceneDistance =
                DistributionSummary.builder("strata.events.scene.distance")
                        .description("Cosine distance between consecutive frames of a stream")
                        .serviceLevelObjectives(0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5)
                        .register(registry);
        queueWait = latency("strata.queue.wait", "Time a preprocessed frame waited for its batch");
        preprocess = latency("strata.preprocess", "Decode and preprocess time per frame");
        inference = latency("strata.inference", "Engine time per batch");
        endToEnd =
                latency("strata.end.to.end", "Capture timestamp to publication of the frame's labels");
        TimeGauge.builder("strata.model.load", modelLoadNanos, TimeUnit.NANOSECONDS, AtomicLong::get)
                .description("Time to load the model into the engine")
                .register(registry);
        TimeGauge.builder(
                        "strata.model.warmup", modelWarmupNanos, TimeUnit.NANOSECONDS, AtomicLong::get)
                .description("Time of the warm-up batches run before the processor reports ready")
                .register(registry);
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
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

    public void frameDeadLettered(String reason) {
        Counter.builder("strata.frames.dead.lettered")
                .description("Frames sent to the dead-letter topic, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void frameDropped(String reason) {
        Counter.builder("strata.frames.dropped")
                .description("Frames dropped by a configured policy, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void event(String type) {
        Counter.builder("strata.events")
                .description("Events published, by type")
                .tag("type", type)
                .register(registry)
                .increment();
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

    public void endToEnd(long millis) {
        endToEnd.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public void modelLoaded(long loadNanos, long warmupNanos) {
        modelLoadNanos.set(loadNanos);
        modelWarmupNanos.set(warmupNanos);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }
}
