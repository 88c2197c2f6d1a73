package dev.strata.processor.demo;

import dev.strata.processor.client.ResultsPrinter;
import dev.strata.processor.output.LabelRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo's screen output: a consumer thread printing results as they arrive, and their tally. */
final class DemoOutput implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoOutput.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final ResultsPrinter printer;
    private final String dlqTopic;
    private final Thread thread;
    private final long startNanos;
    private long labelled;
    private long deadLettered;
    private double latencySumMs;
    private double latencyMaxMs;
    private long firstLabelNanos = -1;

    /** @param startNanos when the demo started, for the time to the first label */
    DemoOutput(Properties consumerProperties, ResultsPrinter printer, String dlqTopic, long startNanos) {
        this.consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
        this.printer = printer;
        this.dlqTopic = dlqTopic;
        this.startNanos = startNanos;
        this.thread = new Thread(this::run, "strata-demo-printer");
        this.thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(printer.topics());
        thread.start();
    }

    /** Labels and dead letters printed so far, the labels' latencies, and when the first label came. */
    record Tally(long labelled, long deadLettered, double meanLatencyMs, double maxLatencyMs,
                 Optional<Duration> firstLabelAfter) {
    }

    synchronized Tally tally() {
        return new Tally(labelled, deadLettered, labelled == 0 ? 0 : latencySumMs / labelled, latencyMaxMs,
                firstLabelNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(firstLabelNanos - startNanos)));
    }

    /**
     * Waits until {@code count} frames were labelled or dead-lettered; false if that took longer
     * than {@code timeout}.
     */
    synchronized boolean awaitPrinted(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (labelled + deadLettered < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void run() {
        try {
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    printer.print(record).ifPresentOrElse(this::count, () -> {
                        if (record.topic().equals(dlqTopic)) {
                            countDeadLetter();
                        }
                    });
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop.
        } catch (RuntimeException e) {
            log.error("the demo stopped printing results: {}", e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private synchronized void count(LabelRecord label) {
        if (firstLabelNanos < 0) {
            firstLabelNanos = System.nanoTime();
        }
        labelled++;
        latencySumMs += label.timings().endToEndMs();
        latencyMaxMs = Math.max(latencyMaxMs, label.timings().endToEndMs());
        notifyAll();
    }

    private synchronized void countDeadLetter() {
        deadLettered++;
        notifyAll();
    }

    /** Stops printing and leaves the consumer group. */
    @Override
    public void close() {
        if (thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
