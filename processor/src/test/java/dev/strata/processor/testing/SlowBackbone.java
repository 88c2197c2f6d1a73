package dev.strata.processor.testing;

import dev.strata.processor.inference.Backbone;
import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.ModelInfo;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real backbone on a simulated slow device: every batch runs on the wrapped engine, and its
 * result is returned only once {@code perBatch} has passed since the batch started (as if the
 * accelerator took that long). {@link #slowOnce} makes one later batch take longer still, for a
 * model that breaks its inference budget.
 */
public final class SlowBackbone implements Backbone {

    private final Backbone engine;
    private final Duration perBatch;
    private final AtomicReference<Duration> once = new AtomicReference<>();
    private final AtomicInteger batches = new AtomicInteger();

    public SlowBackbone(Backbone engine, Duration perBatch) {
        this.engine = engine;
        this.perBatch = perBatch;
    }

    /** The next batch to start takes {@code duration} instead of {@code perBatch}. */
    public void slowOnce(Duration duration) {
        once.set(duration);
    }

    /** Batches run so far. */
    public int batches() {
        return batches.get();
    }

    @Override
    public ModelInfo info() {
        return engine.info();
    }

    @Override
    public String engine() {
        return engine.engine();
    }

    @Override
    public String device() {
        return engine.device();
    }

    @Override
    public BatchOutput infer(FloatBuffer input, int batchSize, Set<Integer> stages) {
        long deadline = System.nanoTime();
        Duration hiccup = once.getAndSet(null);
        deadline += (hiccup != null ? hiccup : perBatch).toNanos();
        BatchOutput output = engine.infer(input, batchSize, stages);
        long left = deadline - System.nanoTime();
        try {
            if (left > 0) {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            }
        } catch (InterruptedException e) {
            // The executor is closing; the device "finished" early.
            Thread.currentThread().interrupt();
        }
        batches.incrementAndGet();
        return output;
    }

    @Override
    public void close() {
        engine.close();
    }
}
