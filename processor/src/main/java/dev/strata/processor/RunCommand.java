package dev.strata.processor;

import dev.strata.processor.config.InvalidConfigException;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.inference.ModelLoadException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata run}: the processor against an existing Kafka cluster, until SIGTERM or Ctrl-C. */
@Command(name = "run", description = "Run the processor against the Kafka cluster in the configuration.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON or .properties file; default: $STRATA_CONFIG, else built-in defaults.")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        StrataConfig settings;
        StrataApp app;
        try {
            settings = StrataConfig.load(Optional.ofNullable(config));
            app = StrataApp.start(settings);
        } catch (InvalidConfigException | ModelLoadException | UncheckedIOException e) {
            System.err.println("strata: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "strata-shutdown"));
        stopped.await();
        return 0;
    }
}
