package dev.strata.processor.batch;

import dev.strata.processor.config.EventSettings;
import dev.strata.processor.config.FeatureSettings;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.frame.FrameDecoder;
import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.Preprocessor;
import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.FrameTask;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.inference.StageOutput;
import dev.strata.processor.output.ClassLabels;
import dev.strata.processor.output.FeatureSummarizer;
import dev.strata.processor.output.ModelRef;
import dev.strata.processor.output.StageSummary;
import dev.strata.processor.output.TopK;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything a frame goes through besides Kafka: decode, preprocess, and turning its row of the
 * batch output into labels and feature summaries. One per instance, shared by every task;
 * thread-safe.
 *
 * @param features    empty when feature summaries are switched off
 * @param eventsStage index of the stage whose pooled features drive scene-change events; empty
 *                    when events are off
 * @param stagesRead  indices of the stages whose maps {@link #task} results read: only these need to
 *                    leave the engine
 */
public record FramePipeline(
        FrameDecoder decoder,
        Preprocessor preprocessor,
        TopK topK,
        Optional<FeatureSummarizer> features,
        OptionalInt eventsStage,
        ModelRef model,
        Set<Integer> stagesRead) {

    public FramePipeline {
        stagesRead = Set.copyOf(stagesRead);
    }

    /** The pipeline for a loaded model, as the config describes it. */
    public static FramePipeline create(StrataConfig config, ModelInfo info) {
        ClassLabels labels = config.model().labels().map(ClassLabels::load).orElseGet(ClassLabels::imageNet1k)
                .requireClasses(info.numClasses(), info.name());
        FeatureSettings features = config.output().features();
        Optional<FeatureSummarizer> summarizer = features.enabled()
                ? Optional.of(new FeatureSummarizer(features.grid(), features.stages()))
                : Optional.empty();
        OptionalInt eventsStage = eventsStage(config.events(), info);
        Set<Integer> stagesRead = new HashSet<>();
        summarizer.ifPresent(s -> stagesRead.addAll(s.stagesRead(info.stages().size())));
        eventsStage.ifPresent(stagesRead::add);
        return new FramePipeline(new FrameDecoder(config.frame()), Preprocessor.imageNet(info.inputSize()),
                new TopK(labels, config.output().topK()), summarizer, eventsStage,
                new ModelRef(info.name(), info.version()), stagesRead);
    }

    private static OptionalInt eventsStage(EventSettings events, ModelInfo info) {
        if (!events.enabled()) {
            return OptionalInt.empty();
        }
        int stages = info.stages().size();
        int stage = events.sceneChange().stage();
        if (stage >= stages) {
            throw new IllegalArgumentException("strata.events.scene-change.stage is " + stage + " but model "
                    + info.name() + " has " + stages + " stages (0 to " + (stages - 1) + ", or -1 for the last)");
        }
        return OptionalInt.of(stage < 0 ? stages - 1 : stage);
    }

    /** The frame's global average of a stage, scaled to unit length (cosine distance is then a dot). */
    static float[] embedding(StageOutput stage, int index) {
        float[] pooled = StageSummary.pool(stage.name(), stage.stride(), stage.data(), index, stage.channels(),
                stage.height(), stage.width(), 0).pooled();
        double norm = 0;
        for (float v : pooled) {
            norm += v * v;
        }
        float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
        for (int c = 0; c < pooled.length; c++) {
            pooled[c] *= scale;
        }
        return pooled;
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
                                frame.streamId(), frame.frameId(), frame.captureTs(), output, index)),
                        eventsStage.isPresent()
                                ? Optional.of(embedding(output.stage(eventsStage.getAsInt()), index))
                                : Optional.empty());
            }
        };
    }
}
