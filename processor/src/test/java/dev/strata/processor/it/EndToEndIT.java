package dev.strata.processor.it;

import dev.strata.processor.demo.EmbeddedKafka;
import dev.strata.processor.testing.BrokerHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames in, labels, features and dead letters out, through a real broker. */
class EndToEndIT {

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static BrokerHarness harness;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(1, dir);
        kafka.createTopics(4, BrokerHarness.TOPICS);
        harness = new BrokerHarness(kafka);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void everyFrameIsLabelledOnceInStreamOrderWithFeaturesAndBadFramesAreDeadLettered() {
        EndToEndChecks.everyFrameIsLabelledOnceInStreamOrderWithFeaturesAndBadFramesAreDeadLettered(harness);
    }
}
