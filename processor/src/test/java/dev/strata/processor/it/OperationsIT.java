package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.processor.StrataApp;
import dev.strata.processor.demo.EmbeddedKafka;
import dev.strata.processor.frame.RejectReason;
import dev.strata.processor.inference.Outcome.DropReason;
import dev.strata.processor.ops.OpsServer;
import dev.strata.processor.ops.StrataMetrics;
import dev.strata.processor.testing.BrokerHarness;
import dev.strata.processor.testing.DeploymentQueries;
import dev.strata.processor.testing.ExportedSeries;
import dev.strata.processor.testing.PromQl;
import dev.strata.processor.testing.PrometheusText;
import dev.strata.processor.testing.PrometheusText.Family;
import dev.strata.processor.testing.PrometheusText.Scrape;
import dev.strata.processor.testing.RepoFiles;
import dev.strata.processor.testing.TestImages;
import dev.strata.processor.testing.TinyModels;
import java.io.IOException;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoints of one instance through its life against a real broker: not ready while
 * Kafka is unreachable, ready once Kafka Streams runs, metrics that parse and count what happened,
 * every metric the dashboard and alert rules query really exported, not live once the stream
 * client dies, and nothing served after close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    private static final int FRAMES = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    EmbeddedKafka kafka;
    BrokerHarness harness;
    StrataApp app;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(1, dir);
        kafka.createTopics(2, BrokerHarness.TOPICS);
        harness = new BrokerHarness(kafka);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        kafka.close();
    }

    @Test
    @Order(1)
    void liveButNotReadyUntilKafkaStreamsRuns() throws Exception {
        kafka.stopBrokers();
        app = harness.start("ops", Map.of("STRATA_BATCH_SIZE", "4", "STRATA_BATCH_MAX_DELAY", "20ms"));

        // The model is loaded and warmed up, but the consumer group cannot form without a broker.
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.REBALANCING);
        HttpResponse<String> ready = get(OpsServer.READY_PATH);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("kafka streams REBALANCING\n");
        assertThat(ready.headers().firstValue("Content-Type")).hasValue(OpsServer.PLAIN_TEXT);
        HttpResponse<String> live = get(OpsServer.LIVE_PATH);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("live\n");
        Scrape starting = scrape();
        assertThat(starting.value("strata_ready")).isZero();
        assertThat(starting.value("strata_live")).isEqualTo(1);
        assertThat(starting.value("strata_model_warmup_seconds")).isPositive();

        kafka.startBrokers();

        await().atMost(TIMEOUT).until(() -> get(OpsServer.READY_PATH).statusCode() == 200);
        assertThat(get(OpsServer.READY_PATH).body()).isEqualTo("ready\n");
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    @Test
    @Order(2)
    void metricsParseAndCountTheFramesThatFlowed() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.drawing(96, 80), "jpg");
        try (KafkaProducer<byte[], byte[]> producer = harness.producer()) {
            for (int i = 0; i < FRAMES; i++) {
                harness.sendFrame(producer, "cam-" + (i % 2), "f" + i, jpeg);
            }
            producer.send(new ProducerRecord<>("frames", "cam-0".getBytes(StandardCharsets.UTF_8),
                    "garbage".getBytes(StandardCharsets.UTF_8)));
        }
        await().atMost(TIMEOUT).until(() -> {
            Scrape s = scrape();
            return s.value("strata_frames_labelled_total") == FRAMES
                    && s.value("strata_frames_dead_lettered_total", Map.of("reason", "unsupported_type")) == 1;
        });

        HttpResponse<String> response = get(OpsServer.METRICS_PATH);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Scrape scrape = PrometheusText.parse(response.body());

        assertThat(type(scrape, "strata_frames_consumed_total")).isEqualTo("counter");
        assertThat(scrape.value("strata_frames_consumed_total")).isEqualTo(FRAMES + 1);
        for (RejectReason reason : RejectReason.values()) {
            assertThat(scrape.value("strata_frames_dead_lettered_total", Map.of("reason", StrataMetrics.tag(reason))))
                    .as(reason.name()).isEqualTo(reason == RejectReason.UNSUPPORTED_TYPE ? 1 : 0);
        }
        for (DropReason reason : DropReason.values()) {
            assertThat(scrape.value("strata_frames_dropped_total", Map.of("reason", reason.tag()))).isZero();
        }
        assertThat(scrape.value("strata_inference_errors_total")).isZero();

        // Every labelled frame went through exactly one batch; the garbage frame never reached decoding.
        assertThat(type(scrape, "strata_batch_size_frames")).isEqualTo("histogram");
        assertThat(scrape.value("strata_batch_size_frames_sum")).isEqualTo(FRAMES);
        double batches = scrape.value("strata_batch_size_frames_count");
        assertThat(batches).isBetween(FRAMES / 4.0, (double) FRAMES);
        assertThat(scrape.value("strata_batch_size_frames_bucket", Map.of("le", "4.0"))).isEqualTo(batches);
        assertThat(scrape.value("strata_inference_seconds_count")).isEqualTo(batches);
        for (String latency : List.of("strata_queue_wait_seconds", "strata_preprocess_seconds",
                "strata_end_to_end_seconds")) {
            assertThat(type(scrape, latency)).as(latency).isEqualTo("histogram");
            assertThat(scrape.value(latency + "_count")).as(latency).isEqualTo(FRAMES);
            assertThat(scrape.value(latency + "_bucket", Map.of("le", "+Inf"))).as(latency).isEqualTo(FRAMES);
        }
        assertThat(scrape.value("strata_end_to_end_seconds_sum")).isPositive();
        assertThat(type(scrape, "strata_model_load_seconds")).isEqualTo("gauge");
        assertThat(scrape.value("strata_model_load_seconds")).isPositive();
        assertThat(scrape.value("strata_frames_in_flight")).isZero();
        assertThat(scrape.value("strata_ready")).isEqualTo(1);
        assertThat(scrape.value("strata_live")).isEqualTo(1);

        // Common tags on Strata's, the JVM's and Kafka's meters alike.
        Map<String, String> tags =
                Map.of("model", TinyModels.convMlpInfo().name(), "engine", "onnxruntime", "device", "cpu");
        for (String name : List.of("strata_frames_labelled_total", "jvm_memory_used_bytes",
                "kafka_stream_thread_process_total")) {
            assertThat(scrape.samples(name)).as(name).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.labels()).containsAllEntriesOf(tags));
        }
        // Off-heap memory: the JVM's direct buffers and, on Linux, the process's resident set.
        assertThat(scrape.value("jvm_buffer_memory_used_bytes", Map.of("id", "direct"))).isNotNegative();
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertThat(scrape.value("process_resident_memory_bytes")).isGreaterThan(64 << 20);
        }
    }

    @Test
    @Order(3)
    void everyMetricTheDashboardAndTheAlertRulesQueryIsExported() throws Exception {
        Scrape scrape = scrape();
        List<DeploymentQueries.Query> queries = DeploymentQueries.all();
        assertThat(DeploymentQueries.dashboards()).hasSizeGreaterThan(20);
        assertThat(DeploymentQueries.alertRules()).hasSizeGreaterThanOrEqualTo(6);

        List<String> problems = new ArrayList<>();
        for (DeploymentQueries.Query query : queries) {
            List<PromQl.Selector> selectors = query.selectors();
            if (selectors.isEmpty()) {
                problems.add(query.where() + ": selects no metric: " + query.expr());
            }
            for (PromQl.Selector selector : selectors) {
                problems.addAll(ExportedSeries.problems(query.where(), selector, scrape));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(3)
    void theReadmeMetricsTableDocumentsWhatIsExported() throws Exception {
        // GC pause meters are registered at the first collection: make sure there was one.
        System.gc();
        await().atMost(TIMEOUT).until(() -> scrape().families().containsKey("jvm_gc_pause_seconds"));
        String text = get(OpsServer.METRICS_PATH).body();
        // Kept for whoever updates the README table.
        Files.writeString(Path.of("target", "operations-it-scrape.txt"), text);
        Scrape scrape = PrometheusText.parse(text);
        String readme = Files.readString(RepoFiles.path("README.md"));
        String section = readme.substring(readme.indexOf("\n## Metrics\n"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9_:]+)` \\|").matcher(section);
        while (row.find()) {
            documented.add(row.group(1));
        }

        assertThat(scrape.families().keySet()).as("documented metrics that are exported").containsAll(documented);
        Set<String> ours = new TreeSet<>();
        scrape.families().keySet().stream()
                .filter(name -> name.matches("(strata|jvm|process|system)_.*") && !name.endsWith("_max"))
                .forEach(ours::add);
        assertThat(documented).as("exported metrics that are documented").containsAll(ours);
    }

    @Test
    @Order(4)
    void notLiveOnceTheStreamClientIsDeadAndNothingServedAfterClose() throws Exception {
        app.streams().close(Duration.ofSeconds(30));

        HttpResponse<String> live = get(OpsServer.LIVE_PATH);
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).isEqualTo("kafka streams NOT_RUNNING\n");
        assertThat(get(OpsServer.READY_PATH).statusCode()).isEqualTo(503);
        Scrape scrape = scrape();
        assertThat(scrape.value("strata_live")).isZero();
        assertThat(scrape.value("strata_ready")).isZero();

        URI ready = uri(OpsServer.READY_PATH);
        app.close();
        assertThat(app.ready()).isFalse();
        app = null;
        assertThatThrownBy(() -> send(HttpRequest.newBuilder(ready).GET().build()))
                .isInstanceOf(ConnectException.class);
    }

    private static String type(Scrape scrape, String family) {
        Family f = scrape.families().get(family);
        assertThat(f).as("family " + family).isNotNull();
        return f.type();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + app.httpPort() + path);
    }

    private Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get(OpsServer.METRICS_PATH);
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }
}
