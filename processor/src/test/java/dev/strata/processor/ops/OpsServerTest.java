package dev.strata.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.testing.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoints' answers through an instance's life, with the states set by hand. */
class OpsServerTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Health health = new Health();
    private final OpsServer server = OpsServer.start(0, registry, health);
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final AtomicReference<Optional<String>> fault = new AtomicReference<>(Optional.empty());

    @AfterEach
    void close() {
        server.close();
        registry.close();
    }

    @Test
    void readyOnlyOnceTheModelIsWarmAndKafkaStreamsRuns() throws Exception {
        assertAnswer(OpsServer.READY_PATH, 503, "model loading");
        assertAnswer(OpsServer.LIVE_PATH, 200, "model loading");

        health.modelReady();
        assertAnswer(OpsServer.READY_PATH, 503, "kafka streams not created yet");
        health.streamsCreated(state::get, fault::get);
        assertAnswer(OpsServer.READY_PATH, 503, "kafka streams CREATED");
        state.set(State.REBALANCING);
        assertAnswer(OpsServer.READY_PATH, 503, "kafka streams REBALANCING");
        assertAnswer(OpsServer.LIVE_PATH, 200, "live");
        state.set(State.RUNNING);
        assertAnswer(OpsServer.READY_PATH, 200, "ready");

        health.closing();
        assertAnswer(OpsServer.READY_PATH, 503, "closing");
        state.set(State.PENDING_SHUTDOWN);
        assertAnswer(OpsServer.LIVE_PATH, 200, "closing");
    }

    @Test
    void streamsRunningWithoutAWarmModelIsNotReady() throws Exception {
        health.streamsCreated(state::get, fault::get);
        state.set(State.RUNNING);

        assertAnswer(OpsServer.READY_PATH, 503, "model loading");
    }

    @Test
    void notLiveWhenTheStreamClientDiesOrInferenceIsWedged() throws Exception {
        health.modelReady();
        health.streamsCreated(state::get, fault::get);
        state.set(State.RUNNING);
        fault.set(Optional.of("inference stalled: 3 frames in flight"));
        assertAnswer(OpsServer.LIVE_PATH, 503, "inference stalled: 3 frames in flight");
        assertAnswer(OpsServer.READY_PATH, 200, "ready");

        fault.set(Optional.empty());
        for (State dead : new State[] {State.PENDING_ERROR, State.ERROR, State.PENDING_SHUTDOWN, State.NOT_RUNNING}) {
            state.set(dead);
            assertAnswer(OpsServer.LIVE_PATH, 503, "kafka streams " + dead);
            assertAnswer(OpsServer.READY_PATH, 503, "kafka streams " + dead);
        }
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat() throws Exception {
        StrataMetrics metrics = new StrataMetrics(registry);
        metrics.health(() -> health.readiness().ok(), () -> health.liveness().ok());
        metrics.frameConsumed();

        HttpResponse<String> response = send("GET", OpsServer.METRICS_PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText.Scrape scrape = PrometheusText.parse(response.body());
        assertThat(scrape.value("strata_frames_consumed_total")).isEqualTo(1);
        assertThat(scrape.value("strata_ready")).isZero();
        assertThat(scrape.value("strata_live")).isEqualTo(1);
        assertThat(scrape.value("strata_frames_dead_lettered_total", Map.of("reason", "corrupt"))).isZero();
    }

    @Test
    void onlyGetAndHeadOnExactlyTheThreePaths() throws Exception {
        HttpResponse<String> post = send("POST", OpsServer.METRICS_PATH);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

        HttpResponse<String> head = send("HEAD", OpsServer.LIVE_PATH);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();

        assertThat(send("GET", "/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/health").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    }

    private void assertAnswer(String path, int status, String detail) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(response.body()).as(path).isEqualTo(detail + "\n");
        assertThat(response.headers().firstValue("Content-Type")).hasValue(OpsServer.PLAIN_TEXT);
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
