package dev.strata.processor.inference;

import dev.strata.processor.config.BatchSettings;
import dev.strata.processor.config.OverloadPolicy;
import dev.strata.processor.ops.StrataMetrics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide dynamic batcher in front of one {@link Backbone}, shared by every stream
 * thread and task of the instance (like Triton's dynamic batching): frames are decoded on a
 * bounded pool, gathered from all submitters, and run as one batch when {@code batchSize} frames
 * are ready or the oldest has waited {@code maxDelay}. Each frame's future completes with exactly
 * one {@link Outcome}, unless the submitter cancels it first: a cancelled frame that is not yet in
 * a running batch is skipped and its slot freed.
 *
 * <p>Threads: submitters (stream threads), {@code decodeThreads} preprocessors, one inference
 * thread, the only caller of the backbone, and one outputs thread that turns a batch's outputs into
 * each frame's result (top-k, feature pooling) while the next batch runs.
 */
public final class InferenceExecutor<R> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InferenceExecutor.class);

    private final Backbone backbone;
    private final BatchSettings settings;
    private final Set<Integer> stagesRead;
    private final StrataMetrics metrics;
    private final Clock clock;
    private final int frameFloats;
    private final long stallLimitNanos;
    private final Semaphore slots;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LinkedBlockingDeque<Item<R>> ready = new LinkedBlockingDeque<>();
    private final ConcurrentLinkedQueue<float[]> tensorPool = new ConcurrentLinkedQueue<>();
    private final ExecutorService decodePool;
    private final Thread inferenceThread;
    /** Turns a batch's outputs into results while the inference thread runs the next batch. */
    private final ExecutorService outputs;
    private volatile boolean running = true;
    /** When a frame last completed, or the first of the frames in flight was submitted. */
    private volatile long lastProgressNanos = System.nanoTime();

    /**
     * @param stagesRead indices into the model's stages whose maps the tasks' {@link FrameTask#summarize}
     *                   reads; no other map is copied out of the engine
     */
    public InferenceExecutor(
            Backbone backbone, BatchSettings settings, Set<Integer> stagesRead, StrataMetrics metrics, Clock clock) {
        this.backbone = backbone;
        this.settings = settings;
        this.stagesRead = Set.copyOf(stagesRead);
        this.metrics = metrics;
        this.clock = clock;
        this.frameFloats = backbone.info().frameFloats();
        this.stallLimitNanos = settings.maxDelay().plus(settings.inferenceBudget()).toNanos();
        // Fair: stream threads waiting for a slot get one in turn, none waits through several batches.
        this.slots = new Semaphore(settings.maxInFlight(), true);
        AtomicInteger decoderIds = new AtomicInteger();
        // Zero decode threads: frames are decoded on the submitting stream thread.
        this.decodePool = settings.decodeThreads() == 0
                ? null
                : Executors.newFixedThreadPool(
                        settings.decodeThreads(),
                        r -> daemon(r, "strata-decode-" + decoderIds.incrementAndGet()));
        this.outputs = Executors.newSingleThreadExecutor(r -> daemon(r, "strata-outputs"));
        this.inferenceThread = daemon(this::runBatches, "strata-inference");
        inferenceThread.setUncaughtExceptionHandler((thread, e) -> log.error(
                "{} died; /health/live reports the instance wedged so that it is restarted", thread.getName(), e));
        metrics.framesInFlight(inFlight::get);
        inferenceThread.start();
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    public ModelInfo modelInfo() {
        return backbone.info();
    }

    public Backbone backbone() {
        return backbone;
    }

    /** Frames submitted and not yet completed. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Why inference is wedged, if it is: frames are in flight and none has completed for longer
     * than {@code maxDelay + inferenceBudget} (a batch that should have run and finished by
     * then), or the inference thread has died. Empty while it makes progress, and once closed.
     */
    public Optional<String> stallReason() {
        if (!running) {
            return Optional.empty();
        }
        if (!inferenceThread.isAlive()) {
            return Optional.of("inference thread " + inferenceThread.getName() + " has died");
        }
        int waiting = inFlight.get();
        long idleNanos = System.nanoTime() - lastProgressNanos;
        if (waiting > 0 && idleNanos > stallLimitNanos) {
            return Optional.of("inference stalled on " + backbone.engine() + "/" + backbone.device() + ": "
                    + waiting + " frames in flight and none completed for " + idleNanos / 1_000_000
                    + " ms (limit strata.batch.max-delay + inference-budget = " + stallLimitNanos / 1_000_000
                    + " ms)");
        }
        return Optional.empty();
    }

    /**
     * Submits a frame. Waits at most {@code maxBlock} for an in-flight slot; under drop-oldest a
     * full executor first evicts the oldest frame still waiting for its batch.
     *
     * @throws InferenceStalledException no slot freed within {@code maxBlock}
     */
    public CompletableFuture<Outcome<R>> submit(FrameTask<R> task) throws InterruptedException {
        if (!running) {
            throw new IllegalStateException("inference executor is closed");
        }
        acquireSlot();
        Item<R> item = new Item<>(task, System.nanoTime());
        if (inFlight.get() == 0) {
            // Idle until now: the stall clock starts with this frame, not at the last completion.
            lastProgressNanos = item.submittedNanos;
        }
        inFlight.incrementAndGet();
        if (decodePool == null) {
            prepare(item);
        } else {
            decodePool.execute(() -> prepare(item));
        }
        return item.future;
    }

    private void acquireSlot() throws InterruptedException {
        long maxBlockNanos = settings.maxBlock().toNanos();
        if (settings.overloadPolicy() == OverloadPolicy.BLOCK) {
            if (slots.tryAcquire(maxBlockNanos, TimeUnit.NANOSECONDS)) {
                return;
            }
            throw stalled();
        }
        long deadline = System.nanoTime() + maxBlockNanos;
        while (!slots.tryAcquire()) {
            Item<R> victim = ready.pollFirst();
            if (victim != null) {
                complete(victim, new Outcome.Dropped<>(Outcome.DropReason.OVERLOAD));
                continue;
            }
            // Nothing to evict: every frame in flight is being decoded or is in the running batch.
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw stalled();
            }
            if (slots.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
                return;
            }
        }
    }

    private InferenceStalledException stalled() {
        return new InferenceStalledException("no inference slot freed within strata.batch.max-block ("
                + settings.maxBlock().toMillis() + " ms; " + settings.maxInFlight() + " frames in flight on "
                + backbone.engine() + "/" + backbone.device() + "): the engine is slower than "
                + "strata.batch.inference-budget (" + settings.inferenceBudget().toMillis() + " ms) promises, or stuck");
    }

    private void prepare(Item<R> item) {
        if (item.future.isCancelled()) {
            release(item);
            return;
        }
        float[] tensor = borrowTensor();
        long start = System.nanoTime();
        try {
            item.task.prepare(tensor);
        } catch (Throwable e) {
            tensorPool.offer(tensor);
            complete(item, new Outcome.Rejected<>(e));
            return;
        }
        item.tensor = tensor;
        item.readyNanos = System.nanoTime();
        item.preprocessNanos = item.readyNanos - start;
        metrics.preprocess(item.preprocessNanos);
        ready.addLast(item);
    }

    private float[] borrowTensor() {
        float[] tensor = tensorPool.poll();
        return tensor != null ? tensor : new float[frameFloats];
    }

    private void runBatches() {
        // Direct, so the engine reads the batch where it is assembled instead of copying it.
        FloatBuffer batchInput = ByteBuffer.allocateDirect(settings.size() * frameFloats * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        List<Item<R>> batch = new ArrayList<>(settings.size());
        while (running) {
            try {
                gather(batch);
                batch.removeIf(this::releaseIfCancelled);
                dropStale(batch);
                if (!batch.isEmpty()) {
                    run(batch, batchInput);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("inference loop failed; completing the batch's frames as failed", e);
                batch.forEach(item -> complete(item, new Outcome.Failed<>(e)));
            } catch (Error e) {
                // Out of memory, a native library that cannot link, ...: not the frames' fault, so they
                // are not dead-lettered. The thread stops, stallReason() reports it, liveness fails and the process is
                // restarted; the frames are in their tasks' pending stores.
                log.error("inference thread stopped on {}/{} with {} frames in flight; restart the process",
                        backbone.engine(), backbone.device(), inFlight.get(), e);
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Waits for a first frame, then fills the batch until it is full or the deadline passes. */
    private void gather(List<Item<R>> batch) throws InterruptedException {
        Item<R> first = ready.pollFirst(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = first.submittedNanos + settings.maxDelay().toNanos();
        while (batch.size() < settings.size()) {
            long wait = deadline - System.nanoTime();
            Item<R> next = wait > 0 ? ready.pollFirst(wait, TimeUnit.NANOSECONDS) : ready.pollFirst();
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void dropStale(List<Item<R>> batch) {
        if (settings.staleness().isEmpty()) {
            return;
        }
        long limitMs = settings.staleness().get().toMillis();
        long now = clock.millis();
        batch.removeIf(
                item -> {
                    if (now - item.task.captureTimestampMs() <= limitMs) {
                        return false;
                    }
                    complete(item, new Outcome.Dropped<>(Outcome.DropReason.STALE));
                    return true;
                });
    }

    private void run(List<Item<R>> batch, FloatBuffer batchInput) {
        int n = batch.size();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Item<R> item = batch.get(i);
            batchInput.put(i * frameFloats, item.tensor);
            metrics.queueWait(start - item.readyNanos);
        }
        BatchOutput output;
        try {
            output = backbone.infer(batchInput, n, stagesRead);
        } catch (RuntimeException e) {
            metrics.inferenceError();
            if (n == 1) {
                complete(batch.get(0), new Outcome.Failed<>(e));
                return;
            }
            log.warn("batch of {} failed ({}); retrying its frames one by one", n, e.toString());
            for (Item<R> item : batch) {
                run(List.of(item), batchInput);
            }
            return;
        }
        long inferenceNanos = System.nanoTime() - start;
        metrics.batch(n, inferenceNanos);
        List<Item<R>> ran = List.copyOf(batch);
        try {
            outputs.execute(() -> summarize(ran, output, start, inferenceNanos));
        } catch (RejectedExecutionException e) {
            // Closing: the frames stay uncompleted, as close() documents.
        }
    }

    private void summarize(List<Item<R>> batch, BatchOutput output, long start, long inferenceNanos) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            Item<R> item = batch.get(i);
            try {
                R result = item.task.summarize(output, i);
                Outcome.Timings timings =
                        new Outcome.Timings(item.preprocessNanos, start - item.readyNanos, inferenceNanos, n);
                complete(item, new Outcome.Completed<>(result, timings));
            } catch (RuntimeException e) {
                complete(item, new Outcome.Failed<>(e));
            }
        }
    }

    private void complete(Item<R> item, Outcome<R> outcome) {
        if (release(item)) {
            lastProgressNanos = System.nanoTime();
            item.future.complete(outcome);
        }
    }

    /** A frame whose future was cancelled (its task closed) is not run; its slot frees at once. */
    private boolean releaseIfCancelled(Item<R> item) {
        if (!item.future.isCancelled()) {
            return false;
        }
        release(item);
        return true;
    }

    /** Frees the frame's slot and tensor, once; false if that was done already. */
    private boolean release(Item<R> item) {
        if (!item.completed.compareAndSet(false, true)) {
            return false;
        }
        if (item.tensor != null) {
            tensorPool.offer(item.tensor);
            item.tensor = null;
        }
        inFlight.decrementAndGet();
        slots.release();
        return true;
    }

    /**
     * Stops its threads. Frames still in flight are left uncompleted: their tasks are closed by then
     * and the frames are still in the tasks' durable pending stores, to be resubmitted by whoever
     * owns the task next.
     */
    @Override
    public void close() {
        running = false;
        if (decodePool != null) {
            decodePool.shutdownNow();
        }
        inferenceThread.interrupt();
        try {
            if (decodePool != null) {
                decodePool.awaitTermination(10, TimeUnit.SECONDS);
            }
            inferenceThread.join(TimeUnit.SECONDS.toMillis(30));
            outputs.shutdownNow();
            outputs.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Item<R> {
        final FrameTask<R> task;
        final long submittedNanos;
        final CompletableFuture<Outcome<R>> future = new CompletableFuture<>();
        final AtomicBoolean completed = new AtomicBoolean();
        float[] tensor;
        long readyNanos;
        long preprocessNanos;

        Item(FrameTask<R> task, long submittedNanos) {
            this.task = task;
            this.submittedNanos = submittedNanos;
        }
    }
}
