package dev.strata.processor.testing;

import ai.djl.Device;
import dev.strata.processor.StrataTopology;
import dev.strata.processor.batch.FramePipeline;
import dev.strata.processor.batch.FrameResult;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.inference.DjlBackbone;
import dev.strata.processor.inference.InferenceExecutor;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.ops.StrataMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                "STRATA_MODEL_LABELS", TinyModels.labelsFile().toString(),
                "STRATA_OUTPUT_TOP_K", "3"));
        all.putAll(env);
        config = StrataConfig.load(Optional.empty(), all);
        ModelInfo info = TinyModels.convMlpInfo();
        backbone = DjlBackbone.load(TinyModels.convMlpFile(), info, "OnnxRuntime", Device.cpu(),
                Map.of("interOpNumThreads", "1", "intraOpNumThreads", "1"));
        pipeline = FramePipeline.create(config, info);
        executor = new InferenceExecutor<>(backbone, config.batch(), pipeline.stagesRead(), metrics,
                Clock.systemUTC());
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
