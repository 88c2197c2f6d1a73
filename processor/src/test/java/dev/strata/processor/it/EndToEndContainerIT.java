package dev.strata.processor.it;

import dev.strata.processor.testing.BrokerHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link EndToEndIT}'s checks against the Apache Kafka image, the broker a deployment runs, rather
 * than the in-process test kit. Skipped, and reported as such, where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class EndToEndContainerIT {

    /** The broker of the client version Strata is built with. */
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"))
            // As the in-process broker: room for large frames.
            .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(32 * 1024 * 1024));

    static BrokerHarness harness;

    @BeforeAll
    static void createTopics() throws Exception {
        harness = new BrokerHarness(KAFKA.getBootstrapServers());
        harness.createTopics(4, BrokerHarness.TOPICS);
    }

    @Test
    void everyFrameIsLabelledOnceInStreamOrderWithFeaturesAndBadFramesAreDeadLettered() {
        EndToEndChecks.everyFrameIsLabelledOnceInStreamOrderWithFeaturesAndBadFramesAreDeadLettered(harness);
    }
}
