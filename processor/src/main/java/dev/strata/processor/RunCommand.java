package dev.strata.processor;

import dev.strata.processor.config.InvalidConfigException;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.inference.ModelLoadException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata run}: the processor against an existing Kafka cluster, until SIGTERM or Ctrl-C.
 * A start-up failure is one line on stderr: exit code 2 for a setting, model or HTTP port the
 * operator must fix, 1 for anything else (the stack trace is logged at debug level).
 */
@Command(name = "run", description = "Run the processor against the Kafka cluster in the configuration.")
final class RunCommand implements Callable<Integer> {

    static final int EXIT_INVALID = 2;
    static final int EXIT_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON or .properties file; default: $STRATA_CONFIG, else built-in defaults.")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        StrataApp app;
        try {
            app = StrataApp.start(StrataConfig.load(Optional.ofNullable(config)));
        } catch (InvalidConfigException | ModelLoadException | UncheckedIOException e) {
            return fail(EXIT_INVALID, e.getMessage());
        } catch (RuntimeException e) {
            log.debug("start-up failed", e);
            return fail(EXIT_FAILED, "could not start: " + e.getMessage() + (e.getCause() == null ? ""
                    : " (" + e.getCause() + ")"));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "strata-shutdown"));
        stopped.await();
        return 0;
    }

    private int fail(int code, String message) {
        spec.commandLine().getErr().println("strata: " + message.replace('\n', ' '));
        spec.commandLine().getErr().flush();
        return code;
    }
}
