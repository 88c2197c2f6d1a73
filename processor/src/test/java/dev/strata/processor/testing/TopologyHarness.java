package dev.strata.processor.testing;

import ai.djl.Device;
import dev.strata.processor.StrataTopology;
import dev.strata.processor.batch.FramePipeline;
import dev.strata.processor.batch.FrameResult;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.frame.FrameDecoder;
import dev.strata.processor.frame.Preprocessor;
import dev.strata.processor.inference.DjlBackbone;
import dev.strata.processor.inference.InferenceExecutor;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.ops.StrataMetrics;
import dev.strata.processor.output.ClassLabels;
import dev.strata.processor.output.FeatureSummarizer;
import dev.strata.processor.output.ModelRef;
import dev.strata.processor.output.TopK;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The processor's runtime pieces around the tiny ConvMLP, built from a config given as
 * environment overrides, for topology tests with or without a broker.
 */
public final class TopologyHarness implements AutoCloseable {

    public final StrataConfig config;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final StrataMetrics metrics = new StrataMetrics(registry);
    public final DjlBackbone backbone;
    public final InferenceExecutor<FrameResult> executor;
    public final FramePipeline pipeline;

    public TopologyHarness(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of(
                "STRATA_MODEL_INPUT_SIZE", Integer.toString(TinyModels.INPUT_SIZE),
                "STRATA_OUTPUT_TOP_K", "3"));
        all.putAll(env);
        config = StrataConfig.load(Optional.empty(), all);
        ModelInfo info = TinyModels.convMlpInfo();
        backbone = DjlBackbone.load(TinyModels.convMlpFile(), info, "OnnxRuntime", Device.cpu(),
                Map.of("interOpNumThreads", "1", "intraOpNumThreads", "1"));
        executor = new InferenceExecutor<>(backbone, config.batch(), metrics, Clock.systemUTC());
        ClassLabels labels = ClassLabels.of(
                IntStream.range(0, TinyModels.NUM_CLASSES).mapToObj(i -> "class-" + i).toList(), "test classes");
        var features = config.output().features();
        pipeline = new FramePipeline(
                new FrameDecoder(config.frame()),
                Preprocessor.imageNet(config.model().inputSize()),
                new TopK(labels, config.output().topK()),
                features.enabled() ? Optional.of(new FeatureSummarizer(features.grid(), features.stages()))
                        : Optional.empty(),
                new ModelRef(info.name(), info.version()));
    }

    public org.apache.kafka.streams.Topology topology() {
        return StrataTopology.build(config, executor, pipeline, metrics, Clock.systemUTC());
    }

    public static List<String> stageNames() {
        return TinyModels.convMlpInfo().stages().stream().map(s -> s.name()).toList();
    }

    @Override
    public void close() {
        executor.close();
        backbone.close();
    }
}
