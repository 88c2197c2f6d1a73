package dev.strata.processor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @Test
    void servesProduceAndConsumeAndSurvivesABrokerRestart(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(1, dir)) {
            kafka.createTopics(2, List.of("t"));
            produce(kafka, "before");
            kafka.stopBrokers();
            kafka.startBrokers();
            produce(kafka, "after");

            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(
                            kafka.clientProperties(
                                    Map.of(
                                            ConsumerConfig.GROUP_ID_CONFIG, "g",
                                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                            new StringDeserializer(),
                            new StringDeserializer())) {
                consumer.subscribe(List.of("t"));
                java.util.List<String> seen = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.size() < 2 && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    records.forEach(r -> seen.add(r.value()));
                }
                assertThat(seen).containsExactlyInAnyOrder("before", "after");
            }
        }
    }

    private static void produce(EmbeddedKafka kafka, String value) throws Exception {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        kafka.clientProperties(Map.of()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("t", "k", value)).get();
        }
    }
}
