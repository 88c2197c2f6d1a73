package dev.strata.processor;

import dev.strata.processor.batch.FramePipeline;
import dev.strata.processor.batch.FrameResult;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.inference.Backbone;
import dev.strata.processor.inference.InferenceExecutor;
import dev.strata.processor.inference.ModelInfo;
import dev.strata.processor.inference.ModelLoader;
import dev.strata.processor.ops.Health;
import dev.strata.processor.ops.OpsServer;
import dev.strata.processor.ops.RuntimeMetrics;
import dev.strata.processor.ops.StrataMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Strata instance: the HTTP endpoints, the model and its shared batching executor,
 * and the Kafka Streams application, started in that order; closed in reverse, except the
 * endpoints, which stay up until the end.
 */
public final class StrataApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StrataApp.class);
    /** How long close() waits for Kafka Streams to commit and leave the group. */
    public static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final StrataConfig config;
    private final PrometheusMeterRegistry registry;
    private final Health health;
    private final OpsServer ops;
    private final ModelLoader.Loaded model;
    private final RuntimeMetrics runtimeMetrics;
    private final InferenceExecutor<FrameResult> executor;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private boolean closed;

    private StrataApp(StrataConfig config, PrometheusMeterRegistry registry, Health health, OpsServer ops,
                      ModelLoader.Loaded model, RuntimeMetrics runtimeMetrics, InferenceExecutor<FrameResult> executor,
                      KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
        this.config = config;
        this.registry = registry;
        this.health = health;
        this.ops = ops;
        this.model = model;
        this.runtimeMetrics = runtimeMetrics;
        this.executor = executor;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    /**
     * Starts an instance, in this order: the HTTP endpoints (live, not ready), the model (loaded
     * and warmed up), the metrics, the shared batching executor, Kafka Streams. So the instance
     * can only become ready once the model has run its warm-up batches, and probes are answered
     * during a long load (a TensorRT engine build).
     *
     * @throws dev.strata.processor.inference.ModelLoadException the model cannot be loaded
     * @throws UncheckedIOException the HTTP port cannot be bound
     */
    public static StrataApp start(StrataConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /**
     * As {@link #start(StrataConfig)}, running the loaded backbone through {@code wrap} first: a
     * seam for tests and benchmarks that decorate the engine (e.g. to simulate a slower device).
     */
    public static StrataApp start(StrataConfig config, UnaryOperator<Backbone> wrap) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Health health = new Health();
        OpsServer ops = OpsServer.start(config.http().port(), registry, health);
        try {
            return start(config, wrap, registry, health, ops);
        } catch (RuntimeException | Error e) {
            ops.close();
            registry.close();
            throw e;
        }
    }

    private static StrataApp start(StrataConfig config, UnaryOperator<Backbone> wrap,
                                   PrometheusMeterRegistry registry, Health health, OpsServer ops) {
        ModelLoader.Loaded loaded = ModelLoader.load(config.model(), config.batch().size());
        ModelLoader.Loaded model = new ModelLoader.Loaded(wrap.apply(loaded.backbone()), loaded.onnxFile(),
                loaded.loadNanos(), loaded.warmupNanos());
        health.modelReady();
        ModelInfo info = model.backbone().info();
        RuntimeMetrics runtimeMetrics = null;
        InferenceExecutor<FrameResult> executor = null;
        KafkaStreams streams = null;
        try {
            // Common tags apply to meters registered after them: set before any meter exists.
            // Engine and device as the configuration spells them (onnxruntime, gpu:0).
            registry.config().commonTags("model", info.name(),
                    "engine", config.model().engine().name().toLowerCase(Locale.ROOT),
                    "device", config.model().device().toString());
            StrataMetrics metrics = new StrataMetrics(registry);
            metrics.modelLoaded(model.loadNanos(), model.warmupNanos());
            metrics.health(() -> health.readiness().ok(), () -> health.liveness().ok());
            runtimeMetrics = RuntimeMetrics.bindTo(registry);

            FramePipeline pipeline = FramePipeline.create(config, info);
            executor = new InferenceExecutor<>(model.backbone(), config.batch(), pipeline.stagesRead(), metrics,
                    Clock.systemUTC());
            streams = new KafkaStreams(
                    StrataTopology.build(config, executor, pipeline, metrics, Clock.systemUTC()),
                    config.kafka().toProperties());
            // A failed stream thread is replaced; its tasks' pending frames are restored from the
            // changelog, so nothing is lost by starting over.
            streams.setUncaughtExceptionHandler(e -> {
                log.error("stream thread failed; replacing it", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            health.streamsCreated(streams::state, executor::stallReason);
            // Only now: the model has loaded and run its warm-up batches above.
            streams.start();
            log.info("strata started: model {} on {}/{}, topics {} -> {}, {}, {}; HTTP on :{}", info.name(),
                    model.backbone().engine(), model.backbone().device(), config.topics().frames(),
                    config.topics().labels(), config.topics().features(), config.topics().dlq(), ops.port());
            return new StrataApp(config, registry, health, ops, model, runtimeMetrics, executor, streams,
                    streamsMetrics);
        } catch (RuntimeException | Error e) {
            if (streams != null) {
                streams.close(STREAMS_CLOSE_TIMEOUT);
            }
            if (executor != null) {
                executor.close();
            }
            if (runtimeMetrics != null) {
                runtimeMetrics.close();
            }
            model.backbone().close();
            throw e;
        }
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

    /** What {@code /health/ready} answers. */
    public boolean ready() {
        return health.readiness().ok();
    }

    /** What {@code /health/live} answers. */
    public boolean live() {
        return health.liveness().ok();
    }

    /**
     * Reports not ready at once, stops consuming (so no task is left waiting on a closed
     * executor), then the executor and the model; the HTTP endpoints go last, so probes and scrapes
     * are answered while Kafka Streams shuts down. The instance leaves its consumer group at once,
     * so the other instances take its partitions over without waiting for session.timeout.ms: its
     * pending frames are in the changelog. (A dynamic member leaves because reference.conf sets
     * main.consumer.internal.leave.group.on.close; {@code leaveGroup} covers static ones.) A second
     * call does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.closing();
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(STREAMS_CLOSE_TIMEOUT));
        streamsMetrics.close();
        executor.close();
        model.backbone().close();
        runtimeMetrics.close();
        ops.close();
        registry.close();
    }
}
