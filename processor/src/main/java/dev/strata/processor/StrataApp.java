package dev.strata.processor;

import dev.strata.processor.batch.FramePipeline;
import dev.strata.processor.batch.FrameResult;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.inference.Backbone;
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
import java.util.function.UnaryOperator;
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
        return start(config, UnaryOperator.identity());
    }

    /**
     * As {@link #start(StrataConfig)}, running the loaded backbone through {@code wrap} first: a
     * seam for tests and benchmarks that decorate the engine (e.g. to simulate a slower device).
     */
    public static StrataApp start(StrataConfig config, UnaryOperator<Backbone> wrap) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ModelLoader.Loaded loaded = ModelLoader.load(config.model(), config.batch().size());
        ModelLoader.Loaded model = new ModelLoader.Loaded(wrap.apply(loaded.backbone()), loaded.onnxFile(),
                loaded.loadNanos(), loaded.warmupNanos());
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

        InferenceExecutor<FrameResult> executor =
                new InferenceExecutor<>(model.backbone(), config.batch(), metrics, Clock.systemUTC());
        KafkaStreams streams;
        try {
            FramePipeline pipeline = FramePipeline.create(config, info);
            streams = new KafkaStreams(
                    StrataTopology.build(config, executor, pipeline, metrics, Clock.systemUTC()),
                    config.kafka().toProperties());
        } catch (RuntimeException e) {
            // E.g. a state directory that cannot be locked, or a label file that does not fit the model.
            executor.close();
            model.backbone().close();
            throw e;
        }
        // A failed stream thread is replaced; its tasks' pending frames are restored from the
        // changelog, so nothing is lost by starting over.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        new KafkaStreamsMetrics(streams).bindTo(registry);
        // The port is bound before the instance joins its consumer group: failing then costs no rebalance.
        OpsServer ops;
        try {
            ops = new OpsServer(config.http().port(), registry,
                    () -> isLive(streams.state()), () -> streams.state() == KafkaStreams.State.RUNNING);
        } catch (IOException e) {
            streams.close();
            executor.close();
            model.backbone().close();
            throw new UncheckedIOException("cannot serve HTTP on strata.http.port " + config.http().port(), e);
        }
        streams.start();
        log.info("strata running: model {} on {}/{}, topics {} -> {}, {}, {}; metrics on :{}", info.name(),
                model.backbone().engine(), model.backbone().device(), config.topics().frames(),
                config.topics().labels(), config.topics().features(), config.topics().dlq(), ops.port());
        return new StrataApp(config, registry, model, executor, streams, ops);
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

    /** Stops consuming first, so no task is left waiting on a closed executor. */
    @Override
    public void close() {
        ops.close();
        streams.close(Duration.ofSeconds(30));
        executor.close();
        model.backbone().close();
    }
}
