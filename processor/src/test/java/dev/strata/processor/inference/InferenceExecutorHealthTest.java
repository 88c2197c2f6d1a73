package dev.strata.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.models.StageInfo;
import dev.strata.processor.config.BatchSettings;
import dev.strata.processor.config.OverloadPolicy;
import dev.strata.processor.ops.StrataMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InferenceExecutor#healthy()}, which the liveness endpoint reports: an engine that stops
 * completing frames, or an inference thread that dies, must make the process restartable rather
 * than leave it wedged and looking alive.
 */
class InferenceExecutorHealthTest {

    private static final ModelInfo INFO = new ModelInfo("gate", "1", 1, 1, List.of(new StageInfo("s", 1, 1)));
    /** Stall limit: twice (maxDelay + inferenceBudget) = 240 ms. */
    private static final BatchSettings SETTINGS = new BatchSettings(1, Duration.ofMillis(20), 4,
            Duration.ofSeconds(5), Duration.ofMillis(100), OverloadPolicy.BLOCK, Optional.empty(), 1);

    private InferenceExecutor<Integer> executor;

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void anIdleExecutorIsHealthyHoweverLongItWaits() throws Exception {
        GatedBackbone backbone = new GatedBackbone();
        backbone.gate.countDown();
        executor = new InferenceExecutor<>(backbone, SETTINGS, metrics(), Clock.systemUTC());
        executor.submit(frame()).get(5, TimeUnit.SECONDS);

        // Idle for longer than the stall limit, then busy again.
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(executor::healthy);
        assertThat(executor.submit(frame()).get(5, TimeUnit.SECONDS)).isInstanceOf(Outcome.Completed.class);
        assertThat(executor.healthy()).isTrue();
    }

    @Test
    void anEngineThatStopsCompletingFramesMakesTheExecutorUnhealthyUntilItMovesAgain() throws Exception {
        GatedBackbone backbone = new GatedBackbone();
        executor = new InferenceExecutor<>(backbone, SETTINGS, metrics(), Clock.systemUTC());

        CompletableFuture<Outcome<Integer>> stuck = executor.submit(frame());
        assertThat(backbone.entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.healthy()).as("just submitted").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !executor.healthy());

        backbone.gate.countDown();
        assertThat(stuck.get(5, TimeUnit.SECONDS)).isInstanceOf(Outcome.Completed.class);
        assertThat(executor.healthy()).isTrue();
    }

    @Test
    void anErrorOnTheInferenceThreadStopsItAndMakesTheExecutorUnhealthy() throws Exception {
        GatedBackbone backbone = new GatedBackbone();
        backbone.error = new OutOfMemoryError("native arena exhausted");
        executor = new InferenceExecutor<>(backbone, SETTINGS, metrics(), Clock.systemUTC());

        CompletableFuture<Outcome<Integer>> frame = executor.submit(frame());

        await().atMost(Duration.ofSeconds(5)).until(() -> !executor.healthy());
        assertThat(frame).as("not dead-lettered: the frame waits in its pending store for a restart")
                .isNotDone();
    }

    private static StrataMetrics metrics() {
        return new StrataMetrics(new SimpleMeterRegistry());
    }

    private static FrameTask<Integer> frame() {
        return new FrameTask<>() {
            @Override
            public void prepare(float[] chw) {
                chw[0] = 1;
            }

            @Override
            public long captureTimestampMs() {
                return System.currentTimeMillis();
            }

            @Override
            public Integer summarize(BatchOutput output, int index) {
                return index;
            }
        };
    }

    /** Waits at {@code gate} inside every batch, or throws {@code error}. */
    private static final class GatedBackbone implements Backbone {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        volatile Error error;

        @Override
        public ModelInfo info() {
            return INFO;
        }

        @Override
        public String engine() {
            return "gated";
        }

        @Override
        public String device() {
            return "cpu";
        }

        @Override
        public BatchOutput infer(float[] input, int batchSize) {
            if (error != null) {
                throw error;
            }
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new BatchOutput(batchSize, 1, new float[batchSize],
                    List.of(new StageOutput("s", 1, new float[batchSize], batchSize, 1, 1, 1)));
        }

        @Override
        public void close() {
        }
    }
}
