package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.ProcessingGuarantee;
import dev.strata.processor.testing.InProcessKafka;
import dev.strata.processor.testing.ChildStrata;
import dev.strata.processor.testing.Deliveries;
import dev.strata.processor.testing.FrameFeed;
import dev.strata.processor.testing.TestApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in soak (about 15 s a round): frames flow without pause while instance after instance is
 * started in a child JVM and killed with SIGKILL at a random moment, wherever its frames happen
 * to be; then one last instance labels what is left. The kill points of {@link CrashRecoveryIT}
 * are chosen; these are not, so they reach the windows no one thought of.
 *
 * <pre>
 * ./mvnw -B -pl processor -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=CrashSoakIT -Dstrata.soak=true [-Dstrata.soak.rounds=10] [-Dstrata.soak.seed=N]
 * </pre>
 */
@EnabledIfSystemProperty(named = "strata.soak", matches = "true")
class CrashSoakIT {

    private static final Logger log = LoggerFactory.getLogger(CrashSoakIT.class);
    private static final Map<String, String> EVERYDAY = Map.of("STRATA_BATCH_SIZE", "8",
            "STRATA_BATCH_MAX_DELAY", "20ms");

    @TempDir
    static Path dir;
    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void instancesKilledAtRandomMomentsLoseNoFrame(ProcessingGuarantee guarantee) throws Exception {
        int rounds = Integer.getInteger("strata.soak.rounds", 10);
        long seed = Long.getLong("strata.soak.seed", System.nanoTime());
        Random random = new Random(seed);
        log.info("{}: {} rounds, seed {}", guarantee.kafkaName(), rounds, seed);
        try (TestApplication app = TestApplication.create(broker.harness(), "soak-" + guarantee.kafkaName(), guarantee, 4, 8);
             FrameFeed feed = FrameFeed.start(app, Duration.ofMillis(10))) {
            for (int round = 0; round < rounds; round++) {
                try (ChildStrata child = app.startChild(EVERYDAY, dir.resolve(app.appId() + "-" + round + ".log"))) {
                    await("round " + round + ": the child labelling").atMost(Duration.ofSeconds(90))
                            .until(() -> child.metric("strata_frames_labelled_total") > 0);
                    // The kill point: a random moment in the next three seconds of steady work.
                    long killAfterMs = random.nextInt(3000);
                    Thread.sleep(killAfterMs);
                    log.info("round {}: killing after {} frames labelled (+{} ms)", round,
                            child.metric("strata_frames_labelled_total"), killAfterMs);
                    child.kill();
                }
            }
            feed.stop();
            try (StrataApp last = app.start(EVERYDAY)) {
                Deliveries deliveries = app.awaitAllLabelled(Duration.ofSeconds(180));
                log.info("{} (seed {}): {}", guarantee.kafkaName(), seed, deliveries);

                assertThat(deliveries.lost()).as("seed %d: %s", seed, deliveries).isEmpty();
                deliveries.firstOccurrencesPerStream()
                        .forEach((stream, frames) -> assertThat(frames).as("seed %d: %s", seed, stream).isSorted());
                if (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2) {
                    assertThat(deliveries.duplicates()).as("seed %d: %s", seed, deliveries).isZero();
                    assertThat(deliveries.perStream()).isEqualTo(deliveries.firstOccurrencesPerStream());
                }
            }
        }
    }
}
