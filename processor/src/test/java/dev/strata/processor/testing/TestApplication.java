package dev.strata.processor.testing;

import static org.awaitility.Awaitility.await;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.ProcessingGuarantee;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * One Strata application on a shared in-process cluster: its own application id and topics (so
 * tests of one class cannot see each other's frames), its instances' settings, and the frames
 * sent to it. Frame {@code n} is {@code f<n>} of stream {@code cam-<n % streams>}, so within a
 * stream frame numbers grow in the order they were sent.
 */
public final class TestApplication implements AutoCloseable {

    /**
     * Failover settings of every instance: a killed instance's partitions move after
     * {@code session.timeout.ms} (the broker's minimum), not Kafka's default 45 s.
     */
    private static final Map<String, String> FAST_FAILOVER = Map.of(
            "STRATA_KAFKA_SESSION_TIMEOUT_MS", "6000",
            "STRATA_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");

    private final BrokerHarness harness;
    private final String appId;
    private final ProcessingGuarantee guarantee;
    private final int streams;
    private final KafkaProducer<byte[], byte[]> producer;
    private final byte[] jpeg = TestImages.encode(TestImages.drawing(160, 120), "jpg");
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<ChildStrata> children = new ArrayList<>();

    private TestApplication(BrokerHarness harness, String appId, ProcessingGuarantee guarantee, int streams) {
        this.harness = harness;
        this.appId = appId;
        this.guarantee = guarantee;
        this.streams = streams;
        this.producer = harness.producer();
    }

    /** Creates the application's topics ({@code partitions} each) on the harness's cluster. */
    public static TestApplication create(BrokerHarness harness, String appId, ProcessingGuarantee guarantee,
                                         int partitions, int streams) {
        try {
            harness.kafka().createTopics(partitions, List.of(appId + ".frames", appId + ".labels",
                    appId + ".features", appId + ".dlq", appId + ".events"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the topics of " + appId, e.getCause());
        }
        return new TestApplication(harness, appId, guarantee, streams);
    }

    public String appId() {
        return appId;
    }

    public ProcessingGuarantee guarantee() {
        return guarantee;
    }

    public String framesTopic() {
        return appId + ".frames";
    }

    public String labelsTopic() {
        return appId + ".labels";
    }

    /** The environment of one instance: the tiny model, this application's topics, plus {@code extra}. */
    public Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(FAST_FAILOVER);
        env.put("STRATA_KAFKA_PROCESSING_GUARANTEE", guarantee.kafkaName());
        env.put("STRATA_TOPICS_FRAMES", framesTopic());
        env.put("STRATA_TOPICS_LABELS", labelsTopic());
        env.put("STRATA_TOPICS_FEATURES", appId + ".features");
        env.put("STRATA_TOPICS_DLQ", appId + ".dlq");
        env.put("STRATA_TOPICS_EVENTS", appId + ".events");
        env.putAll(extra);
        Map<String, String> all = harness.env(appId, env);
        if (extra.containsKey("STRATA_MODEL_ARCH")) {
            // A catalog model instead of the harness's tiny model file, with its own class names and input size.
            all.remove("STRATA_MODEL_PATH");
            all.remove("STRATA_MODEL_LABELS");
            all.put("STRATA_MODEL_INPUT_SIZE", extra.getOrDefault("STRATA_MODEL_INPUT_SIZE", "224"));
        }
        return all;
    }

    /** An instance in this JVM. */
    public StrataApp start(Map<String, String> extra) {
        return StrataApp.start(StrataConfig.load(Optional.empty(), env(extra)));
    }

    /** An instance in a child JVM, to be killed, at the latest by {@link #close}; its output goes to {@code log}. */
    public ChildStrata startChild(Map<String, String> extra, Path log) {
        ChildStrata child = ChildStrata.start(env(extra), log, Duration.ofSeconds(90));
        children.add(child);
        return child;
    }

    /** Sends the next {@code count} frames and waits until the broker has them all. */
    public void send(int count) {
        for (int i = 0; i < count; i++) {
            sendOne();
        }
        producer.flush();
    }

    /** Sends the next frame without waiting for the broker; returns its number. */
    public int sendOne() {
        synchronized (sent) {
            int n = sent.size();
            String stream = "cam-" + (n % streams);
            Headers headers = TestImages.headers("frame-id", "f" + n, "content-type", "image/jpeg",
                    "capture-ts", Long.toString(System.currentTimeMillis()));
            producer.send(new ProducerRecord<>(framesTopic(), null, stream.getBytes(StandardCharsets.UTF_8), jpeg,
                    headers));
            sent.add("f" + n);
            return n;
        }
    }

    public void flush() {
        producer.flush();
    }

    /** Frames sent so far. */
    public int sentCount() {
        return sent.size();
    }

    /** Every label record on the labels topic now (read_committed under exactly-once). */
    public Deliveries deliveries() {
        return Deliveries.of(List.copyOf(sent), harness.readAll(labelsTopic(), new LabelRecordSerde().deserializer(),
                guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2));
    }

    /** Label records on the labels topic now, including those of open or aborted transactions. */
    public List<ConsumerRecord<String, LabelRecord>> uncommittedLabels() {
        return harness.readAll(labelsTopic(), new LabelRecordSerde().deserializer(), false);
    }

    /**
     * Waits until every frame sent has a label and the application has committed all its input,
     * and returns what the labels topic holds then.
     */
    public Deliveries awaitAllLabelled(Duration timeout) {
        await("every one of " + sent.size() + " frames labelled and committed by " + appId).atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> allFramesCommitted() && deliveries().lost().isEmpty());
        return deliveries();
    }

    /** Offsets committed by the application's group on its frames topic, summed over partitions. */
    public long committedFrames() {
        return harness.committedOffsets(appId, framesTopic()).values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean allFramesCommitted() {
        Map<Integer, Long> end = harness.endOffsets(framesTopic());
        Map<Integer, Long> committed = harness.committedOffsets(appId, framesTopic());
        return end.entrySet().stream()
                .allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
    }

    /** Records on the pending store's changelog topic, including those of open transactions. */
    public long changelogEnd() {
        return harness.endOffsets(appId + "-pending-frames-changelog").values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** Kills the children still alive (a failed test must not leave processes behind) and closes the producer. */
    @Override
    public void close() {
        children.forEach(ChildStrata::close);
        producer.close();
    }
}
