package dev.strata.processor.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Keeps the libraries' logging off the demo's screen while it runs: the in-process broker,
 * Kafka clients and DJL log warnings that matter to an operator of a real cluster (a client
 * reconnecting, a controller electing) but only clutter a demo. Strata's own lines stay. The
 * previous levels come back on close, so the demo can run inside a longer-lived JVM (a test).
 */
final class DemoLogging implements AutoCloseable {

    private static final List<String> QUIETED = List.of("org.apache.kafka", "kafka", "ai.djl", "ai.onnxruntime");

    private final Map<Logger, Level> previous = new LinkedHashMap<>();

    private DemoLogging() {
    }

    static DemoLogging quiet() {
        DemoLogging logging = new DemoLogging();
        for (String name : QUIETED) {
            if (LoggerFactory.getLogger(name) instanceof Logger logger) {
                logging.previous.put(logger, logger.getLevel());
                logger.setLevel(Level.ERROR);
            }
        }
        return logging;
    }

    @Override
    public void close() {
        previous.forEach(Logger::setLevel);
    }
}
