package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.ProcessingGuarantee;
import dev.strata.processor.testing.InProcessKafka;
import dev.strata.processor.testing.Deliveries;
import dev.strata.processor.testing.FrameFeed;
import dev.strata.processor.testing.PrometheusText;
import dev.strata.processor.testing.TestApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker goes away in the middle of a run and comes back on the same port and log directory:
 * the processor recovers by itself (same instance, same stream thread, RUNNING again), and every
 * frame sent before, during and after the outage is labelled, in order per stream.
 */
class BrokerRestartIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerRestartIT.class);

    /**
     * Longer than the instance's session timeout (6 s) and than Kafka Streams' transaction
     * timeout under exactly-once (10 s): the transaction open when the broker went away is
     * aborted, and the instance has to find its way back into the group.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void theProcessorRidesOutABrokerRestartWithoutLosingAFrame(ProcessingGuarantee guarantee) throws Exception {
        try (TestApplication app = TestApplication.create(broker.harness(), "broker-restart-" + guarantee.kafkaName(),
                guarantee, 4, 8);
             StrataApp strata = app.start(Map.of("STRATA_BATCH_SIZE", "8", "STRATA_BATCH_MAX_DELAY", "20ms"));
             FrameFeed feed = FrameFeed.start(app, Duration.ofMillis(20))) {
            await("labelling before the outage").atMost(Duration.ofSeconds(60)).until(() -> labelled(strata) >= 50);

            broker.kafka().stopBrokers();
            // The outage itself: frames keep being produced into the test producer's buffer.
            Thread.sleep(OUTAGE.toMillis());
            double beforeRestart = labelled(strata);
            broker.kafka().startBrokers();

            await("labelling again after the restart").atMost(Duration.ofSeconds(120))
                    .until(() -> labelled(strata) >= beforeRestart + 50);
            feed.stop();
            Deliveries deliveries = app.awaitAllLabelled(Duration.ofSeconds(120));
            log.info("{}: {}", guarantee.kafkaName(), deliveries);

            assertThat(deliveries.lost()).as("%s", deliveries).isEmpty();
            Map<String, List<Integer>> firsts = deliveries.firstOccurrencesPerStream();
            firsts.forEach((stream, frames) -> assertThat(frames).as(stream).isSorted());
            if (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2) {
                assertThat(deliveries.duplicates()).as("%s", deliveries).isZero();
                assertThat(deliveries.perStream()).isEqualTo(firsts);
            }
            assertThat(strata.ready()).as("streams RUNNING").isTrue();
            assertThat(strata.streams().metadataForLocalThreads()).as("stream threads").hasSize(1);
        }
    }

    private static double labelled(StrataApp app) {
        return PrometheusText.parse(app.registry().scrape()).sum("strata_frames_labelled_total");
    }
}
