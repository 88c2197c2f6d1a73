package dev.strata.processor.inference;

import dev.strata.models.StageInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.processor.config.BatchSettings;
import dev.strata.processor.config.OverloadPolicy;
import dev.strata.processor.ops.StrataMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.FloatBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batching logic of the executor. The backbone here is a small arithmetic model (each frame's
 * logits are its pixel mean and the batch index it ran at), so the tests can see which frames ran
 * together; real engines are covered by the DJL and topology tests.
 */
class InferenceExecutorTest {

    private static final ModelInfo INFO =
            new ModelInfo("arith", "1", 2, 2, List.of(new StageInfo("stage1", 2, 1)));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StrataMetrics metrics = new StrataMetrics(registry);
    private InferenceExecutor<float[]> executor;

    @AfterEach
    void close() {
        if (executor != null) {
            executor.close();
        }
    }

    private InferenceExecutor<float[]> start(ArithmeticBackbone backbone, BatchSettings settings) {
        executor = new InferenceExecutor<>(backbone, settings, Set.of(0), metrics, Clock.systemUTC());
        return executor;
    }

    private static BatchSettings settings(int batchSize, Duration maxDelay, int maxInFlight) {
        return new BatchSettings(
                batchSize, maxDelay, maxInFlight, Duration.ofSeconds(5), Duration.ofSeconds(30),
                OverloadPolicy.BLOCK, Optional.empty(), 2);
    }

    @Test
    void runsABatchAsSoonAsItIsFull() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        start(backbone, settings(4, Duration.ofHours(1), 16));

        List<CompletableFuture<Outcome<float[]>>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(executor.submit(frame(i)));
        }

        for (int i = 0; i < 4; i++) {
            Outcome.Completed<float[]> done = completed(futures.get(i));
            assertThat(done.timings().batchSize()).isEqualTo(4);
            assertThat(done.result()[0]).isEqualTo(i);
        }
        assertThat(backbone.batchSizes).containsExactly(4);
        assertThat(backbone.stagesAsked).containsExactly(Set.of(0));
    }

    @Test
    void runsAPartialBatchWhenTheOldestFrameHasWaitedMaxDelay() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        start(backbone, settings(8, Duration.ofMillis(100), 16));

        long start = System.nanoTime();
        List<CompletableFuture<Outcome<float[]>>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(executor.submit(frame(i)));
        }
        for (CompletableFuture<Outcome<float[]>> future : futures) {
            assertThat(completed(future).timings().batchSize()).isEqualTo(3);
        }

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(backbone.batchSizes).containsExactly(3);
    }

    @Test
    void coalescesFramesFromSeveralSubmittingThreads() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        start(backbone, settings(6, Duration.ofHours(1), 16));
        List<CompletableFuture<Outcome<float[]>>> futures = new CopyOnWriteArrayList<>();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int base = t * 2;
            Thread thread =
                    new Thread(
                            () -> {
                                try {
                                    futures.add(executor.submit(frame(base)));
                                    futures.add(executor.submit(frame(base + 1)));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            submitters.add(thread);
            thread.start();
        }
        for (Thread thread : submitters) {
            thread.join();
        }

        for (CompletableFuture<Outcome<float[]>> future : futures) {
            assertThat(completed(future).timings().batchSize()).isEqualTo(6);
        }
        assertThat(backbone.batchSizes).containsExactly(6);
    }

    @Test
    void aFrameThatCannotBePreparedIsRejectedAndTheOthersRun() throws Exception {
        start(new ArithmeticBackbone(), settings(2, Duration.ofMillis(20), 16));
        IllegalArgumentException corrupt = new IllegalArgumentException("corrupt jpeg");

        CompletableFuture<Outcome<float[]>> bad =
                executor.submit(new TestFrame(0, System.currentTimeMillis(), corrupt));
        CompletableFuture<Outcome<float[]>> good = executor.submit(frame(1));

        assertThat(bad.get(5, TimeUnit.SECONDS))
                .isEqualTo(new Outcome.Rejected<float[]>(corrupt));
        assertThat(completed(good).timings().batchSize()).isEqualTo(1);
        assertThat(executor.inFlight()).isZero();
    }

    @Test
    void aBatchTheEngineRejectsIsRetriedFrameByFrameSoOnlyThePoisonFrameFails() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.poisonValue = 13;
        start(backbone, settings(3, Duration.ofHours(1), 16));

        CompletableFuture<Outcome<float[]>> a = executor.submit(frame(1));
        CompletableFuture<Outcome<float[]>> poison = executor.submit(frame(13));
        CompletableFuture<Outcome<float[]>> b = executor.submit(frame(2));

        assertThat(completed(a).result()[0]).isEqualTo(1);
        assertThat(completed(b).result()[0]).isEqualTo(2);
        assertThat(poison.get(5, TimeUnit.SECONDS)).isInstanceOf(Outcome.Failed.class);
        // The batch of 3 and the poison frame alone failed; the two good frames ran alone.
        assertThat(backbone.batchSizes).containsExactly(1, 1);
        assertThat(registry.get("strata.inference.errors").counter().count()).isEqualTo(2);
    }

    @Test
    void framesOlderThanTheStalenessLimitAreDroppedAndCounted() throws Exception {
        BatchSettings settings =
                new BatchSettings(
                2, Duration.ofMillis(20), 16, Duration.ofSeconds(1), Duration.ofSeconds(30),
                OverloadPolicy.BLOCK, Optional.of(Duration.ofSeconds(1)), 1);
        start(new ArithmeticBackbone(), settings);

        CompletableFuture<Outcome<float[]>> stale =
                executor.submit(new TestFrame(1, System.currentTimeMillis() - 5_000, null));
        CompletableFuture<Outcome<float[]>> fresh = executor.submit(frame(2));

        assertThat(stale.get(5, TimeUnit.SECONDS))
                .isEqualTo(new Outcome.Dropped<float[]>(Outcome.DropReason.STALE));
        assertThat(completed(fresh).timings().batchSize()).isEqualTo(1);
    }

    @Test
    void dropOldestEvictsTheOldestWaitingFrameWhenFull() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.gate = new CountDownLatch(1);
        BatchSettings settings =
                new BatchSettings(
                1, Duration.ofMillis(1), 2, Duration.ofMillis(50), Duration.ofSeconds(30),
                OverloadPolicy.DROP_OLDEST, Optional.empty(), 1);
        start(backbone, settings);

        CompletableFuture<Outcome<float[]>> running = executor.submit(frame(1));
        backbone.awaitBlocked();
        CompletableFuture<Outcome<float[]>> waiting = executor.submit(frame(2));
        awaitQueued(1);
        CompletableFuture<Outcome<float[]>> admitted = executor.submit(frame(3));
        backbone.gate.countDown();

        assertThat(waiting.get(5, TimeUnit.SECONDS))
                .isEqualTo(new Outcome.Dropped<float[]>(Outcome.DropReason.OVERLOAD));
        assertThat(completed(running).result()[0]).isEqualTo(1);
        assertThat(completed(admitted).result()[0]).isEqualTo(3);
    }

    @Test
    void dropOldestEvictsAtOnceInsteadOfWaitingForASlot() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.gate = new CountDownLatch(1);
        start(backbone, new BatchSettings(1, Duration.ofMillis(1), 2, Duration.ofSeconds(20), Duration.ofSeconds(1),
                OverloadPolicy.DROP_OLDEST, Optional.empty(), 1));
        executor.submit(frame(1));
        backbone.awaitBlocked();
        CompletableFuture<Outcome<float[]>> waiting = executor.submit(frame(2));
        awaitQueued(1);

        long start = System.nanoTime();
        executor.submit(frame(3));

        // Waiting for a slot first would take the whole max-block of 20 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(waiting.get(5, TimeUnit.SECONDS))
                .isEqualTo(new Outcome.Dropped<float[]>(Outcome.DropReason.OVERLOAD));
        backbone.gate.countDown();
    }

    @Test
    void dropOldestWaitsAtMostMaxBlockInAllWhenNothingCanBeEvicted() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.gate = new CountDownLatch(1);
        start(backbone, new BatchSettings(1, Duration.ofMillis(1), 1, Duration.ofSeconds(1), Duration.ofMillis(500),
                OverloadPolicy.DROP_OLDEST, Optional.empty(), 1));
        executor.submit(frame(1));
        backbone.awaitBlocked();

        long start = System.nanoTime();
        assertThatThrownBy(() -> executor.submit(frame(2))).isInstanceOf(InferenceStalledException.class);

        // The running frame cannot be evicted; the wait ends at max-block, not twice that.
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofMillis(1900));
        backbone.gate.countDown();
    }

    @Test
    void cancelledFramesNotYetInABatchAreSkippedAndGiveUpTheirSlots() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.gate = new CountDownLatch(1);
        start(backbone, new BatchSettings(1, Duration.ofMillis(1), 3, Duration.ofSeconds(5), Duration.ofSeconds(1),
                OverloadPolicy.BLOCK, Optional.empty(), 1));
        CompletableFuture<Outcome<float[]>> running = executor.submit(frame(1));
        backbone.awaitBlocked();
        CompletableFuture<Outcome<float[]>> orphan1 = executor.submit(frame(2));
        CompletableFuture<Outcome<float[]>> orphan2 = executor.submit(frame(3));
        awaitQueued(2);

        orphan1.cancel(false);
        orphan2.cancel(false);
        backbone.gate.countDown();

        assertThat(completed(running).result()[0]).isEqualTo(1);
        assertThat(completed(executor.submit(frame(4))).result()[0]).isEqualTo(4);
        assertThat(backbone.batchSizes).as("batches run: the cancelled frames were not").containsExactly(1, 1);
        assertThat(executor.inFlight()).isZero();
    }

    @Test
    void blockPolicyReportsAStalledEngineAfterMaxBlock() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.gate = new CountDownLatch(1);
        BatchSettings settings =
                new BatchSettings(
                1, Duration.ofMillis(1), 1, Duration.ofMillis(100), Duration.ofSeconds(30),
                OverloadPolicy.BLOCK, Optional.empty(), 1);
        start(backbone, settings);

        CompletableFuture<Outcome<float[]>> running = executor.submit(frame(1));
        backbone.awaitBlocked();

        assertThatThrownBy(() -> executor.submit(frame(2)))
                .isInstanceOf(InferenceStalledException.class)
                .hasMessageContaining("strata.batch.max-block (100 ms");
        backbone.gate.countDown();
        assertThat(completed(running).result()[0]).isEqualTo(1);
    }

    @Test
    void reportsWedgedInferenceOnlyOnceNoFrameCompletedWithinMaxDelayPlusInferenceBudget() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.gate = new CountDownLatch(1);
        Duration limit = Duration.ofMillis(10).plus(Duration.ofMillis(500));
        start(backbone, new BatchSettings(1, Duration.ofMillis(10), 4, Duration.ofSeconds(1),
                Duration.ofMillis(500), OverloadPolicy.BLOCK, Optional.empty(), 1));
        // Idle for longer than the limit is not wedged: the clock starts with the first frame in flight.
        await().during(limit.plusMillis(100)).atMost(Duration.ofSeconds(5))
                .until(() -> executor.stallReason().isEmpty());

        long submitted = System.nanoTime();
        CompletableFuture<Outcome<float[]>> running = executor.submit(frame(1));
        backbone.awaitBlocked();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> executor.stallReason().isPresent());

        assertThat(System.nanoTime() - submitted).isGreaterThan(limit.toNanos());
        assertThat(executor.stallReason().orElseThrow())
                .contains("1 frames in flight").contains("max-delay + inference-budget = 510 ms");
        backbone.gate.countDown();
        assertThat(completed(running).result()[0]).isEqualTo(1);
        assertThat(executor.stallReason()).isEmpty();
    }

    @Test
    void reportsADeadInferenceThread() throws Exception {
        ArithmeticBackbone backbone = new ArithmeticBackbone();
        backbone.fatal = new UnsatisfiedLinkError("native engine library gone");
        start(backbone, settings(1, Duration.ofMillis(1), 4));

        CompletableFuture<Outcome<float[]>> frame = executor.submit(frame(1));

        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> executor.stallReason().isPresent());
        assertThat(executor.stallReason().orElseThrow()).isEqualTo("inference thread strata-inference has died");
        assertThat(frame).as("not dead-lettered: the frame waits in its pending store for a restart").isNotDone();
    }

    private void awaitQueued(int frames) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (executor.inFlight() < frames + 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(executor.inFlight()).isEqualTo(frames + 1);
        // The frame is counted in flight before it is decoded; give the decoder a moment to queue it.
        Thread.sleep(50);
    }

    private static TestFrame frame(int value) {
        return new TestFrame(value, System.currentTimeMillis(), null);
    }

    private static Outcome.Completed<float[]> completed(CompletableFuture<Outcome<float[]>> future)
            throws Exception {
        Outcome<float[]> outcome = future.get(5, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(Outcome.Completed.class);
        return (Outcome.Completed<float[]>) outcome;
    }

    /** Fills every input float with {@code value}. */
    private record TestFrame(int value, long captureTimestampMs, RuntimeException failure)
            implements FrameTask<float[]> {
        @Override
        public void prepare(float[] chw) {
            if (failure != null) {
                throw failure;
            }
            java.util.Arrays.fill(chw, value);
        }

        @Override
        public float[] summarize(BatchOutput output, int index) {
            return java.util.Arrays.copyOfRange(output.logits(), index * 2, index * 2 + 2);
        }
    }

    /** logits[i] = (mean of frame i, i); fails any batch containing a frame of poisonValue. */
    private static final class ArithmeticBackbone implements Backbone {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final List<Set<Integer>> stagesAsked = new CopyOnWriteArrayList<>();
        final CountDownLatch blocked = new CountDownLatch(1);
        volatile CountDownLatch gate;
        volatile float poisonValue = Float.NaN;
        volatile Error fatal;

        @Override
        public ModelInfo info() {
            return INFO;
        }

        @Override
        public String engine() {
            return "arithmetic";
        }

        @Override
        public String device() {
            return "cpu";
        }

        void awaitBlocked() throws InterruptedException {
            assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public BatchOutput infer(FloatBuffer input, int batchSize, Set<Integer> stages) {
            stagesAsked.add(Set.copyOf(stages));
            if (fatal != null) {
                throw fatal;
            }
            if (gate != null) {
                blocked.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int frame = INFO.frameFloats();
            float[] logits = new float[batchSize * 2];
            float[] stage = new float[batchSize];
            for (int i = 0; i < batchSize; i++) {
                float sum = 0;
                for (int j = 0; j < frame; j++) {
                    sum += input.get(i * frame + j);
                }
                float mean = sum / frame;
                if (mean == poisonValue) {
                    throw new InferenceException("poison frame in batch", null);
                }
                logits[i * 2] = mean;
                logits[i * 2 + 1] = i;
                stage[i] = mean;
            }
            batchSizes.add(batchSize);
            return new BatchOutput(
                    batchSize, 2, logits,
                    List.of(Optional.of(new StageOutput("stage1", 2, stage, batchSize, 1, 1, 1))));
        }

        @Override
        public void close() {}
    }
}
