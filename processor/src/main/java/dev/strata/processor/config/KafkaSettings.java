package dev.strata.processor.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams properties ({@code strata.kafka}), with the few Strata itself relies on read out
 * and checked.
 *
 * @param bootstrapServers       {@code bootstrap.servers}
 * @param applicationId          {@code application.id}: consumer group and internal topic prefix
 * @param processingGuarantee    {@code processing.guarantee}
 * @param maxPollInterval        the main consumer's effective {@code max.poll.interval.ms}
 * @param producerMaxRequestSize the producer's effective {@code max.request.size}: the largest
 *                               record Strata can write (dead letters are trimmed to it)
 * @param properties             every property, as given to Kafka Streams
 */
public record KafkaSettings(
        String bootstrapServers,
        String applicationId,
        ProcessingGuarantee processingGuarantee,
        Duration maxPollInterval,
        int producerMaxRequestSize,
        Map<String, String> properties) {

    private static final String PATH = "strata.kafka";
    private static final String CHECK_CLIENT_ID = "strata-config-check";
    /** Used when commit.interval.ms is not set under at_least_once; see reference.conf. */
    private static final String ALOS_COMMIT_INTERVAL_MS = "1000";
    /** Kafka Streams' defaults under exactly_once_v2. */
    private static final long EOS_COMMIT_INTERVAL_MS = 100;
    private static final int EOS_TRANSACTION_TIMEOUT_MS = 10_000;

    private static final Pattern SECRET = Pattern.compile("password|jaas|secret|token|credential|user\\.info|\\.key$");
    private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int KAFKA_MAX_POLL_INTERVAL_MS = 300_000;
    private static final int KAFKA_MAX_REQUEST_SIZE = 1_048_576;

    public KafkaSettings {
        Objects.requireNonNull(processingGuarantee, "processingGuarantee");
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** A fresh copy of {@link #properties()} for {@code new KafkaStreams(topology, props)}. */
    public Properties toProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        return props;
    }

    /** Like the generated one, with credentials masked: configurations end up in logs. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(properties);
        shown.replaceAll((name, value) -> SECRET.matcher(name).find() ? "[hidden]" : value);
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", applicationId=" + applicationId
                + ", processingGuarantee=" + processingGuarantee + ", maxPollInterval=" + maxPollInterval
                + ", producerMaxRequestSize=" + producerMaxRequestSize + ", properties=" + shown + "]";
    }

    /** Reads and checks the flattened {@code strata.kafka} properties. */
    static KafkaSettings parse(Map<String, String> given) {
        Map<String, String> props = new TreeMap<>(given);
        String bootstrap = required(props, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        String applicationId = required(props, StreamsConfig.APPLICATION_ID_CONFIG);
        if (!LEGAL_ID.matcher(applicationId).matches()) {
            throw invalid(StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                    "it names the consumer group and prefixes internal topics, so only letters, digits, '.', '_' "
                            + "and '-' are allowed");
        }
        String guaranteeName = props.getOrDefault(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once");
        ProcessingGuarantee guarantee = Arrays.stream(ProcessingGuarantee.values())
                .filter(g -> g.kafkaName().equals(guaranteeName))
                .findFirst()
                .orElseThrow(() -> invalid(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guaranteeName,
                        "must be one of " + Arrays.stream(ProcessingGuarantee.values())
                                .map(ProcessingGuarantee::kafkaName).collect(Collectors.joining(", "))));
        if (guarantee == ProcessingGuarantee.AT_LEAST_ONCE) {
            props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, ALOS_COMMIT_INTERVAL_MS);
        }
        try {
            // Kafka's own type and range checks of the Streams-level properties, with its messages.
            StreamsConfig.configDef().parse(props);
        } catch (ConfigException e) {
            throw new InvalidConfigException("Invalid Kafka setting under " + PATH + ": " + e.getMessage(), e);
        }
        int maxPollMs = clientInt(props, "max.poll.interval.ms", KAFKA_MAX_POLL_INTERVAL_MS,
                StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX, "");
        int maxRequestSize = clientInt(props, "max.request.size", KAFKA_MAX_REQUEST_SIZE,
                StreamsConfig.PRODUCER_PREFIX, "");
        try {
            // And of each client's properties, as Kafka Streams will build them: unchecked, a bad
            // one (producer.acks = maybe) would surface only after the model has loaded.
            StreamsConfig streams = new StreamsConfig(props);
            new ConsumerConfig(bytes(streams.getMainConsumerConfigs(applicationId, CHECK_CLIENT_ID, 0)));
            new ConsumerConfig(bytes(streams.getRestoreConsumerConfigs(CHECK_CLIENT_ID)));
            new ProducerConfig(bytes(streams.getProducerConfigs(CHECK_CLIENT_ID)));
            new AdminClientConfig(streams.getAdminConfigs(CHECK_CLIENT_ID));
        } catch (ConfigException e) {
            throw new InvalidConfigException("Invalid Kafka setting under " + PATH + ": " + e.getMessage(), e);
        }
        return new KafkaSettings(bootstrap, applicationId, guarantee, Duration.ofMillis(maxPollMs), maxRequestSize,
                props);
    }

    /** The effective {@code commit.interval.ms}: as set, else Kafka Streams' default for the guarantee. */
    public Duration commitInterval() {
        String value = properties.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (value != null) {
            return Duration.ofMillis(Long.parseLong(value.strip()));
        }
        return Duration.ofMillis(processingGuarantee == ProcessingGuarantee.EXACTLY_ONCE_V2
                ? EOS_COMMIT_INTERVAL_MS : Long.parseLong(ALOS_COMMIT_INTERVAL_MS));
    }

    /**
     * The producer's effective {@code transaction.timeout.ms}, which matters under exactly_once_v2:
     * as set, else Kafka Streams' exactly-once default.
     */
    public Duration transactionTimeout() {
        return Duration.ofMillis(clientInt(properties, "transaction.timeout.ms", EOS_TRANSACTION_TIMEOUT_MS,
                StreamsConfig.PRODUCER_PREFIX, ""));
    }

    /** A client's configuration with the byte-array (de)serializers Kafka Streams passes its clients. */
    private static Map<String, Object> bytes(Map<String, Object> client) {
        client.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        client.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        client.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        client.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return client;
    }

    /** {@code topic.max.message.bytes}, the limit of the internal topics, when set. */
    Optional<Integer> internalTopicMaxMessageBytes() {
        return Optional.ofNullable(properties.get(StreamsConfig.TOPIC_PREFIX + "max.message.bytes"))
                .map(v -> positiveInt(StreamsConfig.TOPIC_PREFIX + "max.message.bytes", v));
    }

    /** The first of the prefixed spellings that is set, as Kafka Streams resolves client overrides. */
    private static int clientInt(Map<String, String> props, String name, int kafkaDefault, String... prefixes) {
        for (String prefix : prefixes) {
            String value = props.get(prefix + name);
            if (value != null) {
                return positiveInt(prefix + name, value);
            }
        }
        return kafkaDefault;
    }

    private static int positiveInt(String property, String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(property, value, "must be a positive integer");
        }
        if (parsed <= 0) {
            throw invalid(property, value, "must be a positive integer");
        }
        return parsed;
    }

    private static String required(Map<String, String> props, String property) {
        String value = props.get(property);
        if (value == null || value.isBlank()) {
            throw invalid(property, value == null ? "(not set)" : value, "is required");
        }
        return value.strip();
    }

    static InvalidConfigException invalid(String property, String value, String reason) {
        return new InvalidConfigException("Invalid setting " + PATH + "." + property + " = '" + value + "': " + reason);
    }
}
