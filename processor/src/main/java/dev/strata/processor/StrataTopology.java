package dev.strata.processor;

import dev.strata.processor.batch.FramePipeline;
import dev.strata.processor.batch.FrameResult;
import dev.strata.processor.batch.InferenceProcessor;
import dev.strata.processor.batch.PendingFrameSerde;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.events.EventDetector;
import dev.strata.processor.events.EventProcessor;
import dev.strata.processor.events.StreamEventSerde;
import dev.strata.processor.events.StreamStateSerde;
import dev.strata.processor.inference.InferenceExecutor;
import dev.strata.processor.ops.StrataMetrics;
import dev.strata.processor.output.FeatureSummarySerde;
import dev.strata.processor.output.LabelRecordSerde;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Strata's topology, top to bottom as the data flows (DESIGN.md):
 *
 * <pre>
 * frames ─▶ infer (validate, durable pending store, shared batching executor) ─┬▶ frames.labels
 *                                                                             ├▶ frames.features
 *                                                                             ├▶ frames.dlq
 *                                                                             └▶ events (per-stream
 *                                                          state store) ─▶ frames.events (optional)
 * </pre>
 *
 * <p>Building it has no side effects: the executor and pipeline are made by the caller, so
 * TopologyTestDriver can run it without a broker.
 */
public final class StrataTopology {

    public static final String SOURCE = "frames-source";
    public static final String INFER = "infer";
    public static final String PENDING_STORE = "pending-frames";
    public static final String LABELS_SINK = "labels-sink";
    public static final String FEATURES_SINK = "features-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String EVENTS = "events";
    public static final String STREAM_STATE_STORE = "stream-state";
    public static final String EVENTS_SINK = "events-sink";

    private StrataTopology() {
    }

    public static Topology build(StrataConfig config, InferenceExecutor<FrameResult> executor, FramePipeline pipeline,
                                 StrataMetrics metrics, Clock clock) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().frames());

        int maxRecordBytes = config.kafka().producerMaxRequestSize();
        topology.addProcessor(INFER,
                () -> new InferenceProcessor(executor, pipeline, config.frame(), maxRecordBytes, metrics, clock),
                SOURCE);
        // Cached: store writes reach the changelog at the task's commit, ahead of its offsets, so a
        // frame labelled within one commit interval never sends its bytes to the changelog, and a
        // frame's deletion goes out after its labels were sent, not milliseconds behind them.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_STORE), Serdes.Long(),
                        new PendingFrameSerde()).withLoggingEnabled(Map.of()).withCachingEnabled(),
                INFER);

        topology.addSink(LABELS_SINK, config.topics().labels(), new StringSerializer(),
                new LabelRecordSerde().serializer(), INFER);
        if (pipeline.features().isPresent()) {
            var features = config.output().features();
            topology.addSink(FEATURES_SINK, config.topics().features(), new StringSerializer(),
                    new FeatureSummarySerde(features.format(), features.precision()).serializer(), INFER);
        }
        topology.addSink(DLQ_SINK, config.topics().dlq(), new ByteArraySerializer(), new ByteArraySerializer(),
                INFER);

        if (pipeline.eventsStage().isPresent()) {
            EventDetector detector = new EventDetector(config.events(), pipeline.topK().labels());
            topology.addProcessor(EVENTS, () -> new EventProcessor(detector, config.events(), metrics, clock), INFER);
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STREAM_STATE_STORE), Serdes.String(),
                            new StreamStateSerde()).withLoggingEnabled(Map.of()),
                    EVENTS);
            topology.addSink(EVENTS_SINK, config.topics().events(), new StringSerializer(),
                    new StreamEventSerde().serializer(), EVENTS);
        }
        return topology;
    }
}
