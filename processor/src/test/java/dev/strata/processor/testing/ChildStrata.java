package dev.strata.processor.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A Strata instance in a JVM of its own, started as an operator would ({@code strata run},
 * configured by environment variables) and ended by SIGKILL: a crash with no shutdown hook, no
 * commit and no flush. Its stdout and stderr go to a log file, shown when a wait fails.
 */
public final class ChildStrata implements AutoCloseable {

    /** StrataApp's start-up line (logback-test.xml prints it), which carries the HTTP port. */
    private static final Pattern STARTED = Pattern.compile("strata started: .* HTTP on :(\\d+)");

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ChildStrata(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code strata run} with exactly {@code env} as its Strata settings (no STRATA_
     * variable of this JVM leaks in) and waits until its streams are RUNNING.
     */
    public static ChildStrata start(Map<String, String> env, Path log, Duration timeout) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: a quicker start, and less CPU taken from the test JVM.
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "dev.strata.processor.Main", "run"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("STRATA_"));
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + java, e);
        }
        // A child outlives the test JVM unless killed; this covers a test JVM that ends abruptly.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-strata-child"));
        try {
            int port = await("strata child to start").atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .failFast("strata child exited", () -> !process.isAlive())
                    .until(() -> startedPort(log), p -> p > 0);
            ChildStrata child = new ChildStrata(process, log, port);
            await("strata child to be ready").atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .failFast("strata child exited", () -> !process.isAlive())
                    .until(child::ready);
            return child;
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            process.destroyForcibly();
            throw new AssertionError(e.getMessage() + "; its output:\n" + tail(log), e);
        }
    }

    private static int startedPort(Path log) throws IOException {
        Matcher started = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return started.find() ? Integer.parseInt(started.group(1)) : -1;
    }

    /** Whether {@code /health/ready} answers 200: streams RUNNING. */
    public boolean ready() {
        try {
            return get("/health/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The sum over all series of a metric in the Prometheus scrape, e.g. {@code strata_frames_labelled_total}. */
    public double metric(String name) {
        try {
            return PrometheusText.parse(get("/metrics").body()).sum(name);
        } catch (IOException e) {
            throw new UncheckedIOException("strata child does not answer /metrics:\n" + tail(log), e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("strata child " + process.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The end of the child's output, for failure messages. */
    public String logTail() {
        return tail(log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
