package dev.strata.processor.bench;

import dev.strata.processor.batch.FramePipeline;
import dev.strata.processor.batch.FrameResult;
import dev.strata.processor.config.FeatureSettings;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.FrameRejectedException;
import dev.strata.processor.frame.FrameSource;
import dev.strata.processor.inference.Backbone;
import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.ModelLoader;
import dev.strata.processor.output.FeatureSummary;
import dev.strata.processor.output.FeatureSummarySerde;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import dev.strata.processor.output.Timings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline users would otherwise write, as the usual Kafka Streams ML example does it: the
 * model called synchronously inside the stream, one record at a time, on the stream thread. Same
 * decoder, preprocessing, engine, session options, outputs and serdes as Strata; no batching, no
 * decode pool, no durable pending store (and so none of Strata's guarantees for frames in flight).
 *
 * <p>{@code processValues} rather than {@code mapValues} only because the frame's headers
 * (content type, frame id, capture time) are needed, which {@code mapValues} does not see.
 */
final class PerRecordPeer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PerRecordPeer.class);

    /** One frame's outputs. */
    record Output(LabelRecord labels, Optional<FeatureSummary> features) {
    }

    private final ModelLoader.Loaded model;
    private final KafkaStreams streams;

    private PerRecordPeer(ModelLoader.Loaded model, KafkaStreams streams) {
        this.model = model;
        this.streams = streams;
    }

    static PerRecordPeer start(StrataConfig config) {
        ModelLoader.Loaded model = ModelLoader.load(config.model(), 1);
        try {
            FramePipeline pipeline = FramePipeline.create(config, model.backbone().info());
            StreamsBuilder builder = new StreamsBuilder();
            KStream<String, Output> outputs = builder
                    .stream(config.topics().frames(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .processValues(() -> new InferEach(model.backbone(), pipeline, config))
                    .filter((key, output) -> output != null)
                    .selectKey((key, output) -> output.labels().streamId());
            outputs.mapValues(Output::labels)
                    .to(config.topics().labels(), Produced.with(Serdes.String(), new LabelRecordSerde()));
            FeatureSettings features = config.output().features();
            if (features.enabled()) {
                outputs.mapValues(output -> output.features().orElseThrow())
                        .to(config.topics().features(), Produced.with(Serdes.String(),
                                new FeatureSummarySerde(features.format(), features.precision())));
            }
            KafkaStreams streams = new KafkaStreams(builder.build(), config.kafka().toProperties());
            streams.start();
            return new PerRecordPeer(model, streams);
        } catch (RuntimeException e) {
            model.backbone().close();
            throw e;
        }
    }

    KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        model.backbone().close();
    }

    /** Decode, preprocess, infer a batch of one, summarise: all on the stream thread. */
    private static final class InferEach implements FixedKeyProcessor<byte[], byte[], Output> {

        private final Backbone backbone;
        private final FramePipeline pipeline;
        private final StrataConfig config;
        private final FloatBuffer input;
        private FixedKeyProcessorContext<byte[], Output> context;

        InferEach(Backbone backbone, FramePipeline pipeline, StrataConfig config) {
            this.backbone = backbone;
            this.pipeline = pipeline;
            this.config = config;
            this.input = ByteBuffer.allocateDirect(backbone.info().frameFloats() * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        @Override
        public void init(FixedKeyProcessorContext<byte[], Output> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<byte[], byte[]> record) {
            var meta = context.recordMetadata().orElseThrow();
            FrameSource source = new FrameSource(meta.topic(), meta.partition(), meta.offset());
            FrameEnvelope frame;
            long start = System.nanoTime();
            try {
                frame = FrameEnvelope.parse(record.key(), record.value(), record.headers(), source,
                        record.timestamp(), config.frame());
                pipeline.preprocessor().writeChw(pipeline.decoder().decode(frame), input, 0);
            } catch (FrameRejectedException e) {
                // Dead-lettering is Strata's job; the baseline only has to stay up.
                log.warn("skipping frame {}: {}", source, e.getMessage());
                context.forward(record.withValue(null));
                return;
            }
            long decoded = System.nanoTime();
            BatchOutput output = backbone.infer(input, 1, pipeline.stagesRead());
            long inferred = System.nanoTime();
            FrameResult result = pipeline.task(frame).summarize(output, 0);
            Timings timings = new Timings(0, (decoded - start) / 1e6, (inferred - decoded) / 1e6,
                    System.currentTimeMillis() - frame.captureTs());
            LabelRecord labels = new LabelRecord(frame.streamId(), frame.frameId(), frame.captureTs(), source,
                    pipeline.model(), result.labels(), 1, timings);
            context.forward(record.withValue(new Output(labels, result.features())));
        }
    }
}
