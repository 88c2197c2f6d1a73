package dev.strata.processor.testing;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.demo.EmbeddedKafka;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Strata instances, producers and consumers against one Kafka cluster: the in-process one, or
 * one this JVM does not run (a container).
 */
public final class BrokerHarness {

    public static final List<String> TOPICS =
            List.of("frames", "frames.labels", "frames.features", "frames.dlq", "frames.events");

    private final String bootstrapServers;
    private final EmbeddedKafka kafka;

    public BrokerHarness(EmbeddedKafka kafka) {
        this.bootstrapServers = kafka.bootstrapServers();
        this.kafka = kafka;
    }

    /** A harness for a cluster outside this JVM, with one broker. */
    public BrokerHarness(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.kafka = null;
    }

    /** The in-process cluster, for tests that stop and start its brokers. */
    public EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the cluster at " + bootstrapServers + " does not run in this JVM");
        }
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(int partitions, List<String> topics) throws InterruptedException, ExecutionException {
        if (kafka != null) {
            kafka.createTopics(partitions, topics);
            return;
        }
        try (Admin admin = Admin.create(clientProperties(Map.of()))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        }
    }

    /** Config of an instance of application {@code appId} on the tiny model, plus {@code env}. */
    public StrataConfig config(String appId, Map<String, String> env) {
        return StrataConfig.load(Optional.empty(), env(appId, env));
    }

    /**
     * The environment of an instance of application {@code appId} on the tiny model, plus
     * {@code env}: what {@link #config} loads, or what a child JVM running {@code strata run} gets.
     */
    public Map<String, String> env(String appId, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of(
                "STRATA_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "STRATA_KAFKA_APPLICATION_ID", appId,
                "STRATA_KAFKA_STATE_DIR", System.getProperty("java.io.tmpdir") + "/strata-it-" + UUID.randomUUID(),
                "STRATA_MODEL_PATH", TinyModels.convMlpFile().toString(),
                "STRATA_MODEL_LABELS", TinyModels.labelsFile().toString(),
                "STRATA_MODEL_INPUT_SIZE", Integer.toString(TinyModels.INPUT_SIZE),
                "STRATA_HTTP_PORT", "0"));
        all.putAll(env);
        return all;
    }

    public StrataApp start(String appId, Map<String, String> env) {
        return StrataApp.start(config(appId, env));
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 * 1024 * 1024)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends a JPEG frame; the partition follows the stream id, as for any keyed record. */
    public void sendFrame(KafkaProducer<byte[], byte[]> producer, String stream, String frameId, byte[] jpeg) {
        Headers headers = TestImages.headers("frame-id", frameId, "content-type", "image/jpeg",
                "capture-ts", Long.toString(System.currentTimeMillis()));
        producer.send(new ProducerRecord<>("frames", null, stream.getBytes(StandardCharsets.UTF_8), jpeg,
                headers));
    }

    /** Reads {@code topic} from the beginning until {@code done} holds for what was read, or fails. */
    public <V> List<ConsumerRecord<String, V>> readUntil(String topic, Deserializer<V> values, boolean committedOnly,
                                                        Duration timeout,
                                                        Predicate<List<ConsumerRecord<String, V>>> done) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024));
        if (committedOnly) {
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                     new KafkaConsumer<>(clientProperties(props), new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(seen)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("after " + timeout + ", " + seen.size() + " records on " + topic
                            + " do not meet the expectation");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
        }
        return seen;
    }

    /**
     * Reads everything {@code topic} holds now: from the beginning up to its end offsets (the last
     * stable offsets with {@code committedOnly}, i.e. isolation.level=read_committed).
     */
    public <V> List<ConsumerRecord<String, V>> readAll(String topic, Deserializer<V> values, boolean committedOnly) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted"));
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                     new KafkaConsumer<>(clientProperties(props), new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
        }
        return seen;
    }

    public List<ConsumerRecord<String, LabelRecord>> readLabels(boolean committedOnly, Duration timeout,
                                                               Predicate<List<ConsumerRecord<String, LabelRecord>>> done) {
        return readUntil("frames.labels", new LabelRecordSerde().deserializer(), committedOnly, timeout, done);
    }

    public List<ConsumerRecord<String, byte[]>> read(String topic, Duration timeout, int atLeast) {
        return readUntil(topic, new ByteArrayDeserializer(), false, timeout, seen -> seen.size() >= atLeast);
    }

    private Properties clientProperties(Map<String, ?> extra) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(extra);
        return props;
    }

    public List<ConsumerRecord<String, LabelRecord>> readAllLabels(boolean committedOnly) {
        return readAll("frames.labels", new LabelRecordSerde().deserializer(), committedOnly);
    }

    /** End offsets of {@code topic} by partition. */
    public Map<Integer, Long> endOffsets(String topic) {
        try (Admin admin = Admin.create(clientProperties(Map.of()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the end offsets of " + topic, e.getCause());
        }
    }

    /** Offsets the consumer group {@code appId} has committed on {@code topic}; no entry: none yet. */
    public Map<Integer, Long> committedOffsets(String appId, String topic) {
        try (Admin admin = Admin.create(clientProperties(Map.of()))) {
            Map<Integer, Long> committed = new TreeMap<>();
            admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get().forEach((tp, offset) -> {
                if (tp.topic().equals(topic) && offset != null) {
                    committed.put(tp.partition(), offset.offset());
                }
            });
            return committed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the offsets of group " + appId, e.getCause());
        }
    }

    /** Members of consumer group {@code appId} now. */
    public int groupMembers(String appId) {
        try (Admin admin = Admin.create(clientProperties(Map.of()))) {
            return admin.describeConsumerGroups(List.of(appId)).all().get().get(appId).members().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe group " + appId, e.getCause());
        }
    }
}
