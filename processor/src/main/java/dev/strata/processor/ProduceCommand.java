package dev.strata.processor;

import dev.strata.processor.source.FramePublisher;
import dev.strata.processor.source.SourceOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata produce}: publishes frames to the frames topic, as a camera would. */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publish frames to the frames topic: synthetic scenes (the default), a directory of images, "
                + "one image repeated, or an MJPEG file or standard input.",
                "Key = stream id; headers frame-id (0, 1, ... per stream), capture-ts (epoch ms), content-type."})
final class ProduceCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
            description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
    private String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "frames",
            description = "Frames topic (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "10",
            description = "Frames per second of each stream; 0 sends as fast as possible (default: ${DEFAULT-VALUE}).")
    private double fps;

    @ArgGroup(exclusive = true)
    private Limit limit = new Limit();

    private static final class Limit {

        @Option(names = "--count", paramLabel = "N", description = "Frames per stream, then stop.")
        private long count;

        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Publish for this long (e.g. 30s, 5m), then stop.")
        private Duration duration;
    }

    @Mixin
    private SourceOptions source;

    @Option(names = {"-X", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "Kafka producer property, e.g. -X compression.type=zstd; repeatable.")
    private Map<String, String> producerProperties = Map.of();

    @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Interval of the progress lines on standard error (default: ${DEFAULT-VALUE}).")
    private Duration progressEvery;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (limit.count < 0) {
            err.println("strata produce: --count must be positive: " + limit.count);
            return 2;
        }
        FramePublisher.Pace pace;
        List<FramePublisher.Feed> feeds;
        try {
            pace = new FramePublisher.Pace(fps, limit.count, Optional.ofNullable(limit.duration));
            feeds = source.open(1, fps);
        } catch (IllegalArgumentException | IOException e) {
            err.println("strata produce: " + e.getMessage());
            return 2;
        }
        Producer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(FramePublisher.producerProperties(bootstrapServers, producerProperties));
        } catch (KafkaException e) {
            closeAll(feeds);
            err.println("strata produce: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
            return 2;
        }
        FramePublisher publisher = new FramePublisher(producer, topic, feeds, pace, Clock.systemUTC());
        StopSignal signal = StopSignal.install("strata-produce", publisher::stop, Duration.ofSeconds(30));
        try {
            publisher.describe().forEach(line -> err.println("strata produce: " + line));
            err.println("strata produce: to " + topic + " on " + bootstrapServers + " at "
                    + (fps > 0 ? format(fps) + " frames/s per stream" : "full speed")
                    + (limit.count > 0 ? ", " + limit.count + " frames per stream" : "")
                    + (limit.duration != null ? ", for " + limit.duration.toString().substring(2).toLowerCase(Locale.ROOT)
                    : ""));
            err.flush();
            try {
                publisher.start();
            } catch (KafkaException e) {
                err.println("strata produce: " + e.getMessage());
                return 1;
            }
            while (!publisher.await(progressEvery)) {
                err.println("strata produce: " + summary(publisher.progress()));
                err.flush();
            }
            err.println("strata produce: done, " + summary(publisher.progress())
                    + (signal.signalled() ? " (interrupted)" : ""));
            Optional<Exception> failure = publisher.failure();
            failure.ifPresent(e -> err.println("strata produce: " + e.getMessage()));
            err.flush();
            return failure.isPresent() ? 1 : 0;
        } finally {
            // Everything is closed before the signal lets the JVM exit.
            publisher.close();
            producer.close();
            signal.close();
        }
    }

    private static void closeAll(List<FramePublisher.Feed> feeds) {
        for (FramePublisher.Feed feed : feeds) {
            try {
                feed.source().close();
            } catch (IOException e) {
                // Nothing was sent; the error that stopped the command is the one to report.
            }
        }
    }

    private static String summary(FramePublisher.Progress progress) {
        return String.format(Locale.ROOT, "%d frames sent in %.1f s (%.1f frames/s, %.1f MB)",
                progress.acknowledged(), progress.elapsed().toMillis() / 1000.0, progress.rate(),
                progress.bytes() / 1e6);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
