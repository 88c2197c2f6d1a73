package dev.strata.processor.batch;

import dev.strata.processor.frame.FrameDecoder;
import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.Preprocessor;
import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.FrameTask;
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
