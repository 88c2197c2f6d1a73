package dev.strata.processor.batch;

import dev.strata.processor.config.FeatureSettings;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.frame.FrameDecoder;
import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.Preprocessor;
import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.FrameTask;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.output.ClassLabels;
import dev.strata.processor.output.FeatureSummarizer;
import dev.strata.processor.output.ModelRef;
import dev.strata.processor.output.TopK;
import java.util.Optional;

/**
 * Everything a frame goes through besides Kafka: decode, preprocess, and turning its row of the
 * batch output into labels and feature summaries. One per instance, shared by every task;
 * thread-safe.
 *
 * @param features empty when feature summaries are switched off
 */
public record FramePipeline(
        FrameDecoder decoder,
        Preprocessor preprocessor,
        TopK topK,
        Optional<FeatureSummarizer> features,
        ModelRef model) {

    /** The pipeline for a loaded model, as the config describes it. */
    public static FramePipeline create(StrataConfig config, ModelInfo info) {
        ClassLabels labels = config.model().labels().map(ClassLabels::load).orElseGet(ClassLabels::imageNet1k)
                .requireClasses(info.numClasses(), info.name());
        FeatureSettings features = config.output().features();
        Optional<FeatureSummarizer> summarizer = features.enabled()
                ? Optional.of(new FeatureSummarizer(features.grid(), features.stages()))
                : Optional.empty();
        summarizer.ifPresent(s -> s.requireStages(info.stages().size()));
        return new FramePipeline(new FrameDecoder(config.frame()), Preprocessor.imageNet(info.inputSize()),
                new TopK(labels, config.output().topK()), summarizer, new ModelRef(info.name(), info.version()));
    }

    /** The executor task of one frame. */
    public FrameTask<FrameResult> task(FrameEnvelope frame) {
        return new FrameTask<>() {
            @Override
            public void prepare(float[] chw) throws Exception {
                preprocessor.writeChw(decoder.decode(frame), chw, 0);
            }

            @Override
            public long captureTimestampMs() {
                return frame.captureTs();
            }

            @Override
            public FrameResult summarize(BatchOutput output, int index) {
                return new FrameResult(
                        topK.select(output.logits(), index),
                        features.map(f -> f.summarize(
                                frame.streamId(), frame.frameId(), frame.captureTs(), output.stages(), index)));
            }
        };
    }
}
