package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.StrataApp;
import dev.strata.processor.demo.EmbeddedKafka;
import dev.strata.processor.frame.DeadLetter;
import dev.strata.processor.output.FeatureSummaryReader;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.testing.BrokerHarness;
import dev.strata.processor.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
