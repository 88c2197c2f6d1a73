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
 * Scale-out and scale-in while frames flow: one instance, then two with the same application id
 * (the partitions are split and moved, pending frames with them), then one again after a clean
 * close. No frame is lost and each stream's labels keep their order.
 */
class RebalanceIT {

    private static final Logger log = LoggerFactory.getLogger(RebalanceIT.class);

    private static final Map<String, String> EVERYDAY = Map.of("STRATA_BATCH_SIZE", "8",
            "STRATA_BATCH_MAX_DELAY", "20ms");

    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void scalingFromOneToTwoToOneInstanceLosesNoFrameAndKeepsEachStreamInOrder(ProcessingGuarantee guarantee) {
        try (TestApplication app = TestApplication.create(broker.harness(), "rebalance-" + guarantee.kafkaName(), guarantee,
                4, 8);
             StrataApp first = app.start(EVERYDAY);
             FrameFeed feed = FrameFeed.start(app, Duration.ofMillis(20))) {
            await("the first instance labelling").atMost(Duration.ofSeconds(60))
                    .until(() -> labelled(first) >= 50);

            try (StrataApp second = app.start(EVERYDAY)) {
                await("the partitions split between two instances, both labelling")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> first.ready() && second.ready() && activeTasks(first) > 0
                                && activeTasks(second) > 0 && activeTasks(first) + activeTasks(second) == 4
                                && labelled(second) >= 50);

                double beforeScaleIn = labelled(second);
                first.close();
                assertThat(broker.harness().groupMembers(app.appId()))
                        .as("members right after the clean close: it left the group").isEqualTo(1);
                await("the remaining instance owning every partition and labelling")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> second.ready() && activeTasks(second) == 4
                                && labelled(second) >= beforeScaleIn + 50);

                feed.stop();
                Deliveries deliveries = app.awaitAllLabelled(Duration.ofSeconds(90));
                log.info("{}: {}", guarantee.kafkaName(), deliveries);

                assertThat(deliveries.lost()).as("%s", deliveries).isEmpty();
                Map<String, List<Integer>> firsts = deliveries.firstOccurrencesPerStream();
                assertThat(firsts).hasSize(8);
                firsts.forEach((stream, frames) -> assertThat(frames).as(stream).isSorted());
                if (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2) {
                    assertThat(deliveries.duplicates()).as("%s", deliveries).isZero();
                    assertThat(deliveries.perStream()).isEqualTo(firsts);
                }
            }
        }
    }

    private static double labelled(StrataApp app) {
        return PrometheusText.parse(app.registry().scrape()).sum("strata_frames_labelled_total");
    }

    private static int activeTasks(StrataApp app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }
}
