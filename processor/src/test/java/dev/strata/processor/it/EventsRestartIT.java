package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.StrataApp;
import dev.strata.processor.events.StreamEvent;
import dev.strata.processor.events.StreamEventSerde;
import dev.strata.processor.testing.BrokerHarness;
import dev.strata.processor.testing.InProcessKafka;
import dev.strata.processor.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stream's event state survives a restart: the first frame after it is compared with the last before. */
class EventsRestartIT {

    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    @BeforeAll
    static void createTopics() throws Exception {
        broker.kafka().createTopics(2, BrokerHarness.TOPICS);
    }

    @Test
    void aCutAcrossARestartIsReportedOnceAgainstTheFrameBeforeTheRestart() {
        Map<String, String> env = Map.of("STRATA_EVENTS_ENABLED", "true",
                "STRATA_KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2", "STRATA_BATCH_SIZE", "3");
        byte[] night = TestImages.encode(TestImages.solid(96, 64, BufferedImage.TYPE_INT_RGB, new Color(10, 10, 40)),
                "jpg");
        byte[] day = TestImages.encode(TestImages.drawing(96, 64), "jpg");

        try (KafkaProducer<byte[], byte[]> producer = broker.harness().producer()) {
            try (StrataApp first = broker.harness().start("events-restart", env)) {
                for (int i = 0; i < 6; i++) {
                    broker.harness().sendFrame(producer, "cam-1", "f" + i, night);
                }
                producer.flush();
                broker.harness().readLabels(true, Duration.ofSeconds(60), seen -> seen.size() >= 6);
            }
            try (StrataApp second = broker.harness().start("events-restart", env)) {
                for (int i = 6; i < 12; i++) {
                    broker.harness().sendFrame(producer, "cam-1", "f" + i, day);
                }
                producer.flush();
                broker.harness().readLabels(true, Duration.ofSeconds(60), seen -> seen.size() >= 12);
            }
        }

        List<ConsumerRecord<String, StreamEvent>> events =
                broker.harness().readAll("frames.events", new StreamEventSerde().deserializer(), true);
        assertThat(events).hasSize(1);
        StreamEvent cut = events.get(0).value();
        assertThat(cut.type()).isEqualTo("scene_change");
        assertThat(cut.frameId()).isEqualTo("f6");
        assertThat(cut.previousFrameId()).isEqualTo("f5");
    }
}
