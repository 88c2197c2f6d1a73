package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.StrataApp;
import dev.strata.processor.frame.DeadLetter;
import dev.strata.processor.output.FeatureSummaryReader;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.testing.BrokerHarness;
import dev.strata.processor.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The end-to-end checks, run against the in-process broker ({@link EndToEndIT}) and a broker in a
 * container ({@link EndToEndContainerIT}): the application must behave the same on both.
 */
final class EndToEndChecks {

    private EndToEndChecks() {
    }

    /** Frames in; every frame labelled once, in stream order, with features; a bad frame dead-lettered. */
    static void everyFrameIsLabelledOnceInStreamOrderWithFeaturesAndBadFramesAreDeadLettered(BrokerHarness harness) {
        byte[] jpeg = TestImages.encode(TestImages.drawing(160, 120), "jpg");
        try (StrataApp app = harness.start("e2e", Map.of("STRATA_BATCH_SIZE", "4", "STRATA_BATCH_MAX_DELAY", "30ms"));
             KafkaProducer<byte[], byte[]> producer = harness.producer()) {
            for (int i = 0; i < 40; i++) {
                harness.sendFrame(producer, "cam-" + (i % 4), "f" + i, jpeg);
            }
            producer.send(new ProducerRecord<>("frames", "cam-0".getBytes(StandardCharsets.UTF_8),
                    "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.flush();

            List<ConsumerRecord<String, LabelRecord>> labels =
                    harness.readLabels(false, Duration.ofSeconds(60), seen -> seen.size() >= 40);

            assertThat(labels).hasSize(40);
            assertThat(labels).extracting(r -> r.value().frameId()).doesNotHaveDuplicates();
            Map<String, List<Integer>> perStream = labels.stream().collect(Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(r -> Integer.parseInt(r.value().frameId().substring(1)),
                            Collectors.toList())));
            assertThat(perStream).hasSize(4);
            perStream.values().forEach(ids -> assertThat(ids).isSorted());
            assertThat(labels).allSatisfy(r -> assertThat(r.value().timings().endToEndMs()).isPositive());

            List<ConsumerRecord<String, byte[]>> features = harness.read("frames.features", Duration.ofSeconds(30), 40);
            assertThat(features).extracting(r -> FeatureSummaryReader.read(r.value()).stages().size())
                    .containsOnly(4);

            List<ConsumerRecord<String, byte[]>> dead = harness.read("frames.dlq", Duration.ofSeconds(30), 1);
            assertThat(new String(dead.get(0).headers().lastHeader(DeadLetter.ERROR_CLASS).value(),
                    StandardCharsets.UTF_8)).isEqualTo("UNSUPPORTED_TYPE");
            assertThat(dead.get(0).value()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
            assertThat(app.ready()).isTrue();
        }
    }
}
