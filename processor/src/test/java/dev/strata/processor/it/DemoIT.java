package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.processor.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code strata demo} end to end: broker, processor, synthetic streams and printer in one
 * process, on ConvMLP-S at a 64-pixel input to keep it quick.
 */
class DemoIT {

    private static final List<String> QUICK = List.of("demo", "--model", "convmlp-s", "--input-size", "64",
            "--fps", "4", "--http-port", "0");
    private static final Pattern METRICS_URL = Pattern.compile("metrics (http://localhost:\\d+)/metrics");
    private static final Pattern LABEL_LINE = Pattern.compile(
            "(?m)^(cam-[12]) +#\\d+ +batch \\d+ +e2e +\\d+ ms  [^|]+ \\d\\.\\d{3} \\| [^|]+ \\d\\.\\d{3} \\| [^|]+ \\d\\.\\d{3}$");
    private static final Pattern FEATURE_LINE = Pattern.compile("(?m)^cam-[12] +#\\d+ +features  stage1 s4 c64 "
            + "\\|v\\|=\\d+\\.\\d\\d  stage2 s8 c128 \\|v\\|=\\d+\\.\\d\\d  stage3 s16 c256 \\|v\\|=\\d+\\.\\d\\d  "
            + "stage4 s32 c512 \\|v\\|=\\d+\\.\\d\\d$");
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) frames sent in .*, (\\d+) labelled");
    private static final Pattern KAFKA_DIR = Pattern.compile("starting Kafka \\(.* in (\\S+)\\)");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBoundedRunPrintsLabelsAndFeaturesServesMetricsAndCleansUp() throws Exception {
        StringWriter screen = new StringWriter();
        PrintWriter out = new PrintWriter(screen, true);
        List<String> args = new ArrayList<>(QUICK);
        args.addAll(List.of("--duration", "4s", "--features-every", "4"));

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                new CommandLine(new Main()).setOut(out).setErr(out).execute(args.toArray(String[]::new)));
        String base = await().atMost(Duration.ofSeconds(120))
                .until(() -> find(METRICS_URL, screen.toString()), Optional::isPresent).orElseThrow();
        HttpResponse<String> metrics = get(base + "/metrics");
        HttpResponse<String> ready = get(base + "/health/ready");
        int code = exit.get(120, TimeUnit.SECONDS);

        String text = screen.toString();
        assertThat(code).as(text).isZero();
        assertThat(text).contains("SEEDED RANDOM weights").contains("models/README.md");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("strata_frames_consumed_total").contains("strata_inference_seconds");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");

        List<String> labelledStreams = LABEL_LINE.matcher(text).results().map(m -> m.group(1)).toList();
        assertThat(labelledStreams).as(text).hasSizeGreaterThanOrEqualTo(8).contains("cam-1", "cam-2");
        assertThat(FEATURE_LINE.matcher(text).results().count()).as(text).isGreaterThanOrEqualTo(2);
        Matcher summary = SUMMARY.matcher(text);
        assertThat(summary.find()).as(text).isTrue();
        assertThat(summary.group(2)).as("every frame sent was labelled and printed").isEqualTo(summary.group(1));
        assertThat(Integer.parseInt(summary.group(1))).isEqualTo(labelledStreams.size());

        Path kafkaDir = Path.of(find(KAFKA_DIR, text).orElseThrow());
        assertThat(kafkaDir).doesNotExist();
        assertThatThrownBy(() -> get(base + "/health/live")).isInstanceOf(ConnectException.class);
    }

    @Test
    void sigtermStopsEverythingQuicklyWithoutStackTraces(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Path logback = dir.resolve("logback.xml");
        try (InputStream config = DemoIT.class.getResourceAsStream("/logback.xml")) {
            Files.copy(config, logback);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx1g",
                // The application's own logging set-up, not the tests'.
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(QUICK);
        Process demo = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> LABEL_LINE.matcher(read(stdout)).find());

            long stopping = System.nanoTime();
            demo.destroy(); // SIGTERM, as Ctrl-C's SIGINT runs the same shutdown hooks
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo exited").isTrue();
            Duration stopTime = Duration.ofNanos(System.nanoTime() - stopping);

            String out = read(stdout);
            String err = read(stderr);
            assertThat(demo.exitValue()).isEqualTo(128 + 15);
            assertThat(out).contains("[demo] stopping...").containsPattern("\\[demo\\] stopped in \\d+\\.\\d s");
            assertThat(out + err).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(Path.of(find(KAFKA_DIR, out).orElseThrow())).doesNotExist();
            assertThat(stopTime).as(out).isLessThan(Duration.ofSeconds(30));
        } finally {
            demo.destroyForcibly();
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<String> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
