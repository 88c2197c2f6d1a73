package dev.strata.processor.demo;

import dev.strata.processor.DurationConverter;
import dev.strata.processor.StopSignal;
import dev.strata.processor.StrataApp;
import dev.strata.processor.client.ResultsPrinter;
import dev.strata.processor.config.InvalidConfigException;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.config.Topics;
import dev.strata.processor.inference.ModelLoadException;
import dev.strata.processor.source.FramePublisher;
import dev.strata.processor.source.SourceOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata demo}: everything in one process. A real Kafka broker (KRaft, in-process, in a
 * temporary directory), the processor on the CPU with a catalog model, a frame publisher and a
 * printer of the results, until Ctrl-C or {@code --duration}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run Kafka, the processor and a frame source in this process and print labels and feature "
                + "summaries as they arrive. Ctrl-C stops everything.",
                "Without --weights the model has SEEDED RANDOM weights: the pipeline is real, the labels are not "
                        + "meaningful."})
public final class DemoCommand implements Callable<Integer> {

    private static final String APPLICATION_ID = "strata-demo";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> OPTION_OF_VARIABLE = Map.of(
            "STRATA_MODEL_ARCH", "--model",
            "STRATA_MODEL_WEIGHTS", "--weights",
            "STRATA_MODEL_INPUT_SIZE", "--input-size",
            "STRATA_BATCH_SIZE", "--batch-size",
            "STRATA_BATCH_MAX_DELAY", "--max-delay",
            "STRATA_HTTP_PORT", "--http-port");

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "convmlp-s",
            description = "Catalog model (java -jar models/target/strata-models.jar list) (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Safetensors checkpoint of --model (models/README.md); default: seeded random weights.")
    private Path weights;

    @Option(names = "--input-size", paramLabel = "PX", defaultValue = "224",
            description = "Model input side (default: ${DEFAULT-VALUE}).")
    private int inputSize;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "2",
            description = "Frames per second of each stream (default: ${DEFAULT-VALUE}).")
    private double fps;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Send frames for this long (e.g. 30s, 5m), print what is still due, and stop; "
                    + "default: until Ctrl-C.")
    private Duration duration;

    @Mixin
    private SourceOptions source;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Frames per inference batch; default: strata.batch.size of reference.conf.")
    private Integer batchSize;

    @Option(names = "--max-delay", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest wait for a batch to fill; default: strata.batch.max-delay of reference.conf.")
    private Duration maxDelay;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "Partitions of the frames topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--features-every", paramLabel = "N", defaultValue = "10",
            description = "Print the feature summary of every Nth frame of a stream; 0: none (default: ${DEFAULT-VALUE}).")
    private int featuresEvery;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of /metrics and /health; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Spec
    private CommandSpec spec;

    private PrintWriter out;
    private long startNanos;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        startNanos = System.nanoTime();
        int defaultStreams = source.synthetic() ? 2 : 1;
        List<FramePublisher.Feed> feeds;
        StrataConfig config;
        try {
            if (!(fps > 0)) {
                throw new IllegalArgumentException("--fps must be positive: " + fps);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be at least 1: " + partitions);
            }
            config = StrataConfig.load(Optional.empty(), settings("localhost:9092", Path.of("unused")));
            feeds = source.open(defaultStreams, fps);
        } catch (InvalidConfigException e) {
            spec.commandLine().getErr().println("strata demo: " + inOptionTerms(e.getMessage()));
            return 2;
        } catch (IllegalArgumentException | IOException e) {
            spec.commandLine().getErr().println("strata demo: " + e.getMessage());
            return 2;
        }
        banner(config, feeds);
        Path dir = Files.createTempDirectory("strata-demo-");
        DemoLogging logging = DemoLogging.quiet();
        StopSignal signal = StopSignal.install("strata-demo", Duration.ofSeconds(60));
        try {
            return run(dir, feeds, signal);
        } catch (Exception e) {
            // The demo's screen is for people: what failed, not a stack trace.
            spec.commandLine().getErr().println("strata demo: " + e);
            return 1;
        } finally {
            deleteRecursively(dir);
            logging.close();
            signal.close();
        }
    }

    private int run(Path dir, List<FramePublisher.Feed> feeds, StopSignal signal) throws Exception {
        EmbeddedKafka kafka = null;
        StrataApp app = null;
        DemoOutput output = null;
        Producer<byte[], byte[]> producer = null;
        FramePublisher publisher = null;
        try {
            say("starting Kafka (one KRaft broker in this process, in " + dir + ")");
            long t = System.nanoTime();
            kafka = startKafka(dir.resolve("kafka"));
            StrataConfig config = StrataConfig.load(Optional.empty(),
                    settings(kafka.bootstrapServers(), dir.resolve("streams")));
            Topics topics = config.topics();
            kafka.createTopics(partitions, List.of(topics.frames()));
            kafka.createTopics(1, List.of(topics.labels(), topics.features(), topics.dlq(), topics.events()));
            say("Kafka ready at " + kafka.bootstrapServers() + " in " + seconds(t) + "; topics " + topics.frames()
                    + " (" + partitions + " partitions), " + topics.labels() + ", " + topics.features() + ", "
                    + topics.dlq() + ", " + topics.events());
            if (signal.signalled()) {
                return 130;
            }

            say("loading " + model + " at " + inputSize + "x" + inputSize + " and starting the processor");
            t = System.nanoTime();
            try {
                app = StrataApp.start(config);
            } catch (InvalidConfigException | ModelLoadException | UncheckedIOException e) {
                say("cannot start the processor: " + e.getMessage()
                        + (e instanceof UncheckedIOException ? " (try --http-port 0)" : ""));
                return 1;
            }
            ResultsPrinter printer = new ResultsPrinter(out, topics.labels(), topics.features(), topics.dlq(),
                    topics.events(), featuresEvery);
            output = new DemoOutput(kafka.clientProperties(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, "strata-demo-printer-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(20 * 1024 * 1024))),
                    printer, topics.dlq(), startNanos);
            output.start();
            if (!awaitReady(app, signal)) {
                if (!signal.signalled()) {
                    say("the processor did not become ready within " + READY_TIMEOUT.toSeconds() + " s (state "
                            + app.streams().state() + ")");
                    return 1;
                }
                return 130;
            }
            say("processor ready in " + seconds(t) + "; metrics http://localhost:" + app.httpPort()
                    + "/metrics, readiness http://localhost:" + app.httpPort() + "/health/ready");

            producer = new KafkaProducer<>(FramePublisher.producerProperties(kafka.bootstrapServers(),
                    Map.of("client.id", "strata-demo-source")));
            publisher = new FramePublisher(producer, topics.frames(), feeds,
                    new FramePublisher.Pace(fps, 0, Optional.ofNullable(duration)), Clock.systemUTC());
            feeds = List.of(); // the publisher owns the sources now
            say("sending frames" + (duration != null ? " for " + human(duration) : "") + "; Ctrl-C stops");
            out.println();
            publisher.start();
            return feedUntilStopped(publisher, output, signal);
        } finally {
            say("stopping...");
            long stopping = System.nanoTime();
            if (publisher != null) {
                publisher.close();
            }
            for (FramePublisher.Feed feed : feeds) {
                feed.source().close();
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            if (output != null) {
                output.close();
            }
            if (app != null) {
                app.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            say("stopped in " + seconds(stopping));
        }
    }

    private int feedUntilStopped(FramePublisher publisher, DemoOutput output, StopSignal signal)
            throws InterruptedException {
        boolean endNoted = false;
        while (!signal.await(Duration.ofMillis(200))) {
            if (!publisher.await(Duration.ZERO)) {
                continue;
            }
            if (publisher.failure().isPresent()) {
                say("sending frames failed: " + publisher.failure().get().getMessage());
                return 1;
            }
            if (duration != null) {
                // Print what is still on its way, then stop.
                output.awaitPrinted(publisher.progress().acknowledged(), DRAIN_TIMEOUT);
                summary(publisher, output);
                return 0;
            }
            if (!endNoted) {
                say("every frame of the source was sent; Ctrl-C stops");
                endNoted = true;
            }
        }
        summary(publisher, output);
        return 130;
    }

    private void summary(FramePublisher publisher, DemoOutput output) {
        FramePublisher.Progress sent = publisher.progress();
        DemoOutput.Tally tally = output.tally();
        out.println();
        say(String.format(Locale.ROOT, "%d frames sent in %.1f s (%.1f frames/s), %d labelled, %d dead-lettered; "
                        + "end-to-end latency mean %.0f ms, max %.0f ms%s", sent.acknowledged(),
                sent.elapsed().toMillis() / 1000.0, sent.rate(), tally.labelled(), tally.deadLettered(),
                tally.meanLatencyMs(), tally.maxLatencyMs(),
                tally.firstLabelAfter().map(d -> String.format(Locale.ROOT, "; first label %.1f s after start",
                        d.toMillis() / 1000.0)).orElse("")));
    }

    /**
     * The broker kit's storage formatter prints a line to {@code System.out}; the demo's screen is
     * for results, and nothing else writes to it while the broker starts.
     */
    private static EmbeddedKafka startKafka(Path dir) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return EmbeddedKafka.start(1, dir);
        } finally {
            System.setOut(stdout);
        }
    }

    private boolean awaitReady(StrataApp app, StopSignal signal) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!app.ready()) {
            if (System.nanoTime() > deadline || signal.await(Duration.ofMillis(100))) {
                return false;
            }
        }
        return true;
    }

    /** A configuration error names where the value came from: here, the option that set it. */
    private static String inOptionTerms(String message) {
        for (Map.Entry<String, String> e : OPTION_OF_VARIABLE.entrySet()) {
            message = message.replace("environment variable " + e.getKey(), "option " + e.getValue());
        }
        return message;
    }

    /** The processor's settings, in the environment-variable form of reference.conf. */
    private Map<String, String> settings(String bootstrapServers, Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("STRATA_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("STRATA_KAFKA_APPLICATION_ID", APPLICATION_ID);
        env.put("STRATA_KAFKA_STATE_DIR", stateDir.toString());
        env.put("STRATA_MODEL_ARCH", model);
        if (weights != null) {
            env.put("STRATA_MODEL_WEIGHTS", weights.toString());
        }
        env.put("STRATA_MODEL_INPUT_SIZE", Integer.toString(inputSize));
        if (batchSize != null) {
            env.put("STRATA_BATCH_SIZE", Integer.toString(batchSize));
        }
        if (maxDelay != null) {
            env.put("STRATA_BATCH_MAX_DELAY", maxDelay.toMillis() + "ms");
        }
        env.put("STRATA_HTTP_PORT", Integer.toString(httpPort));
        // The synthetic scenes cut every few seconds: the events show what Strata makes of it. With
        // seeded weights, consecutive frames of one scene are within 0.02 of each other and cuts
        // 0.05 to 0.2 apart (strata_events_scene_distance_permille, convmlp-s at 224), far less
        // than trained features, hence a demo threshold well under the default 0.3.
        env.put("STRATA_EVENTS_ENABLED", "true");
        env.put("STRATA_EVENTS_SCENE_CHANGE_THRESHOLD", "0.04");
        return env;
    }

    private void banner(StrataConfig config, List<FramePublisher.Feed> feeds) {
        out.println("Strata demo");
        out.println("  model    " + model + ", input " + inputSize + "x" + inputSize + ", ONNX Runtime on the CPU, batches of "
                + config.batch().size() + " (or what came within " + config.batch().maxDelay().toMillis() + " ms)");
        if (weights == null) {
            out.println("  weights  SEEDED RANDOM weights (seed " + config.model().seed() + "): the labels below are NOT");
            out.println("           meaningful. They show the pipeline working, not what the frames contain.");
            out.println("           For real labels, convert an official checkpoint to safetensors as models/README.md");
            out.println("           describes (\"Using an official checkpoint\") and run");
            out.println("             java -jar processor/target/strata-processor.jar demo --model " + model
                    + " --weights CHECKPOINT.safetensors");
        } else {
            out.println("  weights  " + weights);
        }
        for (FramePublisher.Feed feed : feeds) {
            out.println("  stream   " + feed.streamId() + ": " + feed.source().describe() + ", " + fps + " frames/s");
        }
        var events = config.events();
        out.println("  events   scene_change above cosine distance " + events.sceneChange().threshold()
                + ", label_change by " + events.labelChange().method().name().toLowerCase(Locale.ROOT)
                + " of " + events.labelChange().window() + " frames, per stream");
        out.println();
        out.flush();
    }

    private void say(String message) {
        out.println("[demo] " + message);
        out.flush();
    }

    private static String seconds(long sinceNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
    }

    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
