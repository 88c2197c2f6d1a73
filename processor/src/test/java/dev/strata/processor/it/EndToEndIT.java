package dev.strata.processor.it;

import dev.strata.processor.testing.BrokerHarness;
import dev.strata.processor.testing.InProcessKafka;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Frames in, labels, features and dead letters out, through a real broker. */
class EndToEndIT {

    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    @BeforeAll
    static void createTopics() throws Exception {
        broker.kafka().createTopics(4, BrokerHarness.TOPICS);
    }

    @Test
    void everyFrameIsLabelledOnceInStreamOrderWithFeaturesAndBadFramesAreDeadLettered() {
        EndToEndChecks.everyFrameIsLabelledOnceInStreamOrderWithFeaturesAndBadFramesAreDeadLettered(broker.harness());
    }
}
