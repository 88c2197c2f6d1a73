package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.ProcessingGuarantee;
import dev.strata.processor.testing.InProcessKafka;
import dev.strata.processor.testing.ChildStrata;
import dev.strata.processor.testing.Deliveries;
import dev.strata.processor.testing.PrometheusText;
import dev.strata.processor.testing.TestApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An instance killed with SIGKILL (no shutdown hook, no final commit, no producer flush) at each
 * point of a frame's life, then restarted, or replaced by the other instance of the application:
 * no frame is lost; under exactly_once_v2 no frame has two label records (read_committed); under
 * at_least_once a frame is labelled twice only when its offset was not yet committed, and then
 * exactly twice.
 *
 * <p>The killed instance runs {@code strata run} in a child JVM; the instance that restarts runs
 * in this JVM with the same application id and everyday batching. Each kill point is reached by
 * configuration and observed, never guessed: the child's metrics, the group's committed offsets
 * and the topics' end offsets say where every frame is when the kill happens.
 */
class CrashRecoveryIT {

    /** Batching of the instances that restart or survive: labels within milliseconds. */
    private static final Map<String, String> EVERYDAY = Map.of("STRATA_BATCH_SIZE", "8",
            "STRATA_BATCH_MAX_DELAY", "20ms");
    private static final Duration LABELLED_WITHIN = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    /**
     * Kill point (a), before flush: every frame is consumed, in the pending store and its offset
     * committed, but its batch waits for 64 frames or 60 s. The restarted instance re-reads no
     * frame; it labels them all from the restored store.
     */
    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void framesWaitingForTheirBatchAreLabelledOnceByTheRestartedInstance(ProcessingGuarantee guarantee) {
        try (TestApplication app = TestApplication.create(broker.harness(), "before-flush-" + guarantee.kafkaName(),
                guarantee, 4, 8)) {
            ChildStrata child = app.startChild(Map.of("STRATA_BATCH_SIZE", "64", "STRATA_BATCH_MAX_DELAY", "60s",
                    "STRATA_KAFKA_COMMIT_INTERVAL_MS", "200"), dir.resolve(app.appId() + ".log"));
            app.send(24);
            await("24 frames consumed and committed, none labelled").atMost(Duration.ofSeconds(60))
                    .until(() -> child.metric("strata_frames_consumed_total") == 24 && app.allFramesCommitted());
            assertThat(child.metric("strata_frames_labelled_total")).isZero();

            child.kill();
            assertThat(app.uncommittedLabels()).as("labels before the restart").isEmpty();

            try (StrataApp restarted = app.start(EVERYDAY)) {
                Deliveries deliveries = app.awaitAllLabelled(LABELLED_WITHIN);
                assertThat(deliveries.lost()).as("%s", deliveries).isEmpty();
                assertThat(deliveries.duplicates()).as("%s", deliveries).isZero();
                assertThat(metric(restarted, "strata_frames_consumed_total"))
                        .as("frames re-read from the input topic: they all came from the restored store").isZero();
            }
        }
    }

    /**
     * Kill point (a'), before the commit: every frame is consumed and written to the pending
     * store's changelog, but its offset is not committed. The store's record cache normally holds
     * its writes back until the commit; with no room in the cache (as when it overflows under load)
     * they reach the changelog at once. Under at_least_once the restarted instance both restores
     * the frames and reads them again, and labels each once; under exactly_once_v2 the changelog
     * writes were aborted with the transaction and the frames are simply read again.
     */
    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void framesStoredButNotCommittedAreLabelledOnceByTheRestartedInstance(ProcessingGuarantee guarantee) {
        try (TestApplication app = TestApplication.create(broker.harness(), "before-commit-" + guarantee.kafkaName(),
                guarantee, 4, 8)) {
            // The first commit comes 9 s after the stream thread starts, long after the kill. (Kafka
            // Streams refuses a commit interval above the transaction timeout, 10 s, under exactly-once.)
            // A stream thread may wait max-block with the transaction open: 9 s + 0.8 s stays under it.
            ChildStrata child = app.startChild(Map.of("STRATA_BATCH_SIZE", "64", "STRATA_BATCH_MAX_DELAY", "60s",
                    "STRATA_KAFKA_COMMIT_INTERVAL_MS", "9000", "STRATA_KAFKA_STATESTORE_CACHE_MAX_BYTES", "0",
                    "STRATA_BATCH_INFERENCE_BUDGET", "500ms", "STRATA_BATCH_MAX_BLOCK", "800ms"),
                    dir.resolve(app.appId() + ".log"));
            app.send(24);
            await("24 frames consumed and on the pending store's changelog").atMost(Duration.ofSeconds(60))
                    .until(() -> child.metric("strata_frames_consumed_total") == 24 && app.changelogEnd() >= 24);
            assertThat(app.committedFrames()).as("input offsets committed before the kill").isZero();

            child.kill();

            try (StrataApp restarted = app.start(EVERYDAY)) {
                Deliveries deliveries = app.awaitAllLabelled(LABELLED_WITHIN);
                assertThat(deliveries.lost()).as("%s", deliveries).isEmpty();
                assertThat(deliveries.duplicates()).as("%s", deliveries).isZero();
                assertThat(metric(restarted, "strata_frames_consumed_total")).isEqualTo(24);
            }
        }
    }

    /**
     * Kill point (b), during inference: 32 frames are committed and in the pending store, and
     * the batch that holds them all is inside the engine. The model is the catalog's ConvMLP-S
     * at 224x224, about 1.5 s for a batch of 32 on two CPU cores: the real default model, slowed
     * by nothing but its size.
     */
    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void framesInsideTheEngineAreLabelledOnceByTheRestartedInstance(ProcessingGuarantee guarantee) {
        try (TestApplication app = TestApplication.create(broker.harness(), "in-inference-" + guarantee.kafkaName(),
                guarantee, 4, 8)) {
            Map<String, String> convMlpS = Map.of("STRATA_MODEL_ARCH", "convmlp-s", "STRATA_MODEL_INPUT_SIZE", "224");
            ChildStrata child = app.startChild(with(convMlpS, Map.of("STRATA_BATCH_SIZE", "32",
                    "STRATA_BATCH_MAX_DELAY", "60s", "STRATA_KAFKA_COMMIT_INTERVAL_MS", "200")),
                    dir.resolve(app.appId() + ".log"));
            app.send(32);
            // The executor records each frame's queue wait just before it hands the batch to the
            // engine, and the batch size just after the engine returns.
            await("a batch of 32 committed frames inside the engine").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> child.metric("strata_queue_wait_seconds_count") == 32 && app.allFramesCommitted());
            assertThat(child.metric("strata_batch_size_count")).as("batches the engine finished").isZero();

            child.kill();
            assertThat(app.uncommittedLabels()).as("labels before the restart").isEmpty();

            try (StrataApp restarted = app.start(with(convMlpS, Map.of("STRATA_BATCH_SIZE", "16")))) {
                Deliveries deliveries = app.awaitAllLabelled(LABELLED_WITHIN);
                assertThat(deliveries.lost()).as("%s", deliveries).isEmpty();
                assertThat(deliveries.duplicates()).as("%s", deliveries).isZero();
                assertThat(metric(restarted, "strata_frames_consumed_total")).isZero();
            }
        }
    }

    /**
     * Kill point (c), after forward and before commit: a commit has just covered 4 priming
     * frames; 24 more are labelled and their label records are on the broker, but the next
     * commit is seconds away. Under at_least_once the 24 are read and labelled again (each
     * exactly twice: a duplicate, allowed and counted); under exactly_once_v2 their labels were
     * in the transaction the kill left open, which is aborted, so each has one committed label.
     */
    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void framesLabelledButNotCommittedAreLabelledAgainOnlyUnderAtLeastOnce(ProcessingGuarantee guarantee) {
        try (TestApplication app = TestApplication.create(broker.harness(), "after-forward-" + guarantee.kafkaName(),
                guarantee, 4, 8)) {
            // Kafka Streams refuses a commit interval above the transaction timeout (10 s) under
            // exactly-once; 9 s leaves seconds between the priming commit and the next.
            // A stream thread may wait max-block with the transaction open: 9 s + 0.8 s stays under it.
            ChildStrata child = app.startChild(with(EVERYDAY, Map.of("STRATA_KAFKA_COMMIT_INTERVAL_MS", "9000",
                    "STRATA_BATCH_INFERENCE_BUDGET", "500ms", "STRATA_BATCH_MAX_BLOCK", "800ms")),
                    dir.resolve(app.appId() + ".log"));
            app.send(4);
            await("4 priming frames labelled and committed").atMost(Duration.ofSeconds(60))
                    .until(() -> child.metric("strata_frames_labelled_total") == 4 && app.allFramesCommitted());
            app.send(24);
            await("28 frames labelled, their label records on the broker").atMost(Duration.ofSeconds(30))
                    .until(() -> child.metric("strata_frames_labelled_total") == 28
                            && app.uncommittedLabels().size() == 28);
            assertThat(app.committedFrames()).as("input offsets committed before the kill").isEqualTo(4);

            child.kill();

            try (StrataApp restarted = app.start(EVERYDAY)) {
                Deliveries deliveries = app.awaitAllLabelled(LABELLED_WITHIN);
                assertThat(deliveries.lost()).as("%s", deliveries).isEmpty();
                assertThat(metric(restarted, "strata_frames_consumed_total")).isEqualTo(24);
                if (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2) {
                    assertThat(deliveries.duplicates()).as("%s", deliveries).isZero();
                } else {
                    assertThat(deliveries.duplicates()).as("%s", deliveries).isEqualTo(24);
                }
            }
        }
    }

    /**
     * Two instances split the partitions; the one holding frames for a batch that has not run
     * is killed, and the survivor takes its partitions over and labels everything.
     */
    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void theSurvivorOfTwoInstancesLabelsTheFramesOfTheKilledOne(ProcessingGuarantee guarantee) {
        try (TestApplication app = TestApplication.create(broker.harness(), "kill-one-of-two-" + guarantee.kafkaName(),
                guarantee, 4, 8)) {
            ChildStrata child = app.startChild(Map.of("STRATA_BATCH_SIZE", "64", "STRATA_BATCH_MAX_DELAY", "60s",
                    "STRATA_KAFKA_COMMIT_INTERVAL_MS", "200"), dir.resolve(app.appId() + ".log"));
            try (StrataApp survivor = app.start(EVERYDAY)) {
                await("the partitions split two and two, both instances running").atMost(Duration.ofSeconds(60))
                        .until(() -> survivor.ready() && child.ready() && activeTasks(survivor) == 2);
                app.send(40);
                await("the survivor labelled its share, the child holds the rest").atMost(Duration.ofSeconds(60))
                        .until(() -> child.metric("strata_frames_consumed_total") > 0
                                && metric(survivor, "strata_frames_labelled_total")
                                        + child.metric("strata_frames_consumed_total") == 40
                                && app.allFramesCommitted());
                assertThat(child.metric("strata_frames_labelled_total")).isZero();

                child.kill();

                Deliveries deliveries = app.awaitAllLabelled(LABELLED_WITHIN);
                assertThat(deliveries.lost()).as("%s", deliveries).isEmpty();
                assertThat(deliveries.duplicates()).as("%s", deliveries).isZero();
                assertThat(metric(survivor, "strata_frames_labelled_total")).isEqualTo(40);
            }
        }
    }

    private static double metric(StrataApp app, String name) {
        return PrometheusText.parse(app.registry().scrape()).sum(name);
    }

    private static int activeTasks(StrataApp app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(more);
        return all;
    }
}
