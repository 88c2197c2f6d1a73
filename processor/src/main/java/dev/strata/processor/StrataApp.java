package dev.strata.processor;

import dev.strata.processor.batch.FramePipeline;
import dev.strata.processor.batch.FrameResult;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.inference.InferenceExecutor;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.inference.ModelLoader;
import dev.strata.processor.ops.OpsServer;
import dev.strata.processor.ops.StrataMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Strata instance: the model and its shared batching executor, the Kafka Streams
 * application and the HTTP endpoints, started in that order and closed in reverse.
 */
public final class StrataApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StrataApp.class);

    private final StrataConfig config;
    private final PrometheusMeterRegistry registry;
    private final ModelLoader.Loaded model;
    private final InferenceExecutor<FrameResult> executor;
    private final KafkaStreams streams;
    private final OpsServer ops;

    private StrataApp(StrataConfig config, PrometheusMeterRegistry registry, ModelLoader.Loaded model,
                      InferenceExecutor<FrameResult> executor, KafkaStreams streams, OpsServer ops) {
        this.config = config;
        this.registry = registry;
        this.model = model;
        this.executor = executor;
        this.streams = streams;
        this.ops = ops;
    }

    /** Loads the model, starts Kafka Streams and serves the HTTP endpoints. */
    public static StrataApp start(StrataConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ModelLoader.Loaded model = ModelLoader.load(config.model(), config.batch().size());
        ModelInfo info = model.backbone().info();
        registry.config().commonTags("model", info.name(), "engine", model.backbone().engine(),
                "device", model.backbone().device());
        StrataMetrics metrics = new StrataMetrics(registry);
        metrics.modelLoaded(model.loadNanos(), model.warmupNanos());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);

        FramePipeline pipeline = FramePipeline.create(config, info);
        InferenceExecutor<FrameResult> executor = new InferenceExecutor<>(model.backbone(), config.batch(),
                pipeline.stagesRead(), metrics, Clock.systemUTC());
        KafkaStreams streams = new KafkaStreams(
                StrataTopology.build(config, executor, pipeline, metrics, Clock.systemUTC()),
                config.kafka().toProperties());
        // A failed stream thread is replaced; its tasks' pending frames are restored from the
        // changelog, so nothing is lost by starting over.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        new KafkaStreamsMetrics(streams).bindTo(registry);
        streams.start();
        try {
            OpsServer ops = new OpsServer(config.http().port(), registry,
                    () -> isLive(streams.state()), () -> streams.state() == KafkaStreams.State.RUNNING);
            log.info("strata running: model {} on {}/{}, topics {} -> {}, {}, {}; metrics on :{}", info.name(),
                    model.backbone().engine(), model.backbone().device(), config.topics().frames(),
                    config.topics().labels(), config.topics().features(), config.topics().dlq(), ops.port());
            return new StrataApp(config, registry, model, executor, streams, ops);
        } catch (IOException e) {
            streams.close();
            executor.close();
            model.backbone().close();
            throw new UncheckedIOException("cannot serve HTTP on port " + config.http().port(), e);
        }
    }

    private static boolean isLive(KafkaStreams.State state) {
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
    }

    public StrataConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int httpPort() {
        return ops.port();
    }

    public ModelInfo modelInfo() {
        return model.backbone().info();
    }

    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /**
     * Stops consuming first, so no task is left waiting on a closed executor. With static
     * membership (group.instance.id) the instance is removed from its group at once; otherwise the
     * group notices after session.timeout.ms, which Strata lowers to 10 s.
     */
    @Override
    public void close() {
        ops.close();
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
        executor.close();
        model.backbone().close();
    }
}
