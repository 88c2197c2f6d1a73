package dev.strata.processor.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints: {@code /metrics} (Prometheus text format 0.0.4),
 * {@code /health/live} and {@code /health/ready} (200 or 503, the reason as the body). The JDK's
 * own HTTP server is enough for three read-only endpoints.
 */
public final class OpsServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService threads;

    private OpsServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Serves the endpoints from now on; the instance starts it first, so probes and scrapes are
     * answered while the model loads.
     *
     * @param port 0 picks a free port
     * @throws UncheckedIOException the port cannot be bound
     */
    public static OpsServer start(int port, PrometheusMeterRegistry registry, Health health) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on port " + port + " (strata.http.port): "
                    + e.getMessage(), e);
        }
        server.createContext(METRICS_PATH, exchange -> {
            if (exact(exchange, METRICS_PATH)) {
                respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
            }
        });
        server.createContext(LIVE_PATH, exchange -> health(exchange, LIVE_PATH, health::liveness));
        server.createContext(READY_PATH, exchange -> health(exchange, READY_PATH, health::readiness));
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "strata-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        return new OpsServer(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, String path, Supplier<Health.Status> check)
            throws IOException {
        if (exact(exchange, path)) {
            Health.Status status = check.get();
            respond(exchange, status.ok() ? 200 : 503, PLAIN_TEXT, status.detail() + "\n");
        }
    }

    /** A context also matches longer paths ({@code /metrics/x}); those are not ours. */
    private static boolean exact(HttpExchange exchange, String path) throws IOException {
        if (exchange.getRequestURI().getPath().equals(path)) {
            return true;
        }
        try (exchange) {
            exchange.sendResponseHeaders(404, -1);
        }
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(method);
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
