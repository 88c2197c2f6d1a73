package dev.strata.processor.bench;

import dev.strata.processor.demo.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes the labels and features topics on its own thread, from the beginning, and notes when
 * each label record arrived (its poll returned it): that is the end of a frame's end-to-end
 * latency. Records are kept as bytes and parsed after the run, so the reader costs little CPU while
 * the pipeline is measured.
 */
final class LabelReader implements AutoCloseable {

    /** A label record as it arrived. */
    record Arrival(long nanos, byte[] value) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String labelsTopic;
    private final boolean keep;
    private final Thread thread;
    private final List<Arrival> labels = new ArrayList<>();
    private long labelCount;
    private long featureCount;
    private long featureBytes;
    private long labelBytes;
    private volatile RuntimeException failure;

    /**
     * @param keep whether to keep every label record (for latencies); a soak only counts them
     */
    LabelReader(EmbeddedKafka kafka, String labelsTopic, String featuresTopic, int partitions, boolean keep) {
        this.consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.labelsTopic = labelsTopic;
        this.keep = keep;
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(labelsTopic, p));
            assigned.add(new TopicPartition(featuresTopic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        this.thread = new Thread(this::read, "bench-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            while (true) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        int size = record.value() == null ? 0 : record.value().length;
                        if (record.topic().equals(labelsTopic)) {
                            labelCount++;
                            labelBytes += size;
                            if (keep) {
                                labels.add(new Arrival(now, record.value()));
                            }
                        } else {
                            featureCount++;
                            featureBytes += size;
                        }
                    }
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            failure = e;
            synchronized (this) {
                notifyAll();
            }
        } finally {
            consumer.close();
        }
    }

    /** Waits until {@code count} label records have arrived in all. */
    void awaitLabels(long count, Duration timeout) throws InterruptedException, TimeoutException {
        await(count, timeout, true);
    }

    /** Waits until {@code count} feature records have arrived in all. */
    void awaitFeatures(long count, Duration timeout) throws InterruptedException, TimeoutException {
        await(count, timeout, false);
    }

    private synchronized void await(long count, Duration timeout, boolean ofLabels)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((ofLabels ? labelCount : featureCount) < count) {
            if (failure != null) {
                throw new IllegalStateException("the label reader failed", failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("after " + timeout.toSeconds() + " s, " + (ofLabels ? labelCount
                        : featureCount) + " of " + count + (ofLabels ? " labels" : " feature records")
                        + " had arrived");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized long labelCount() {
        return labelCount;
    }

    synchronized long featureCount() {
        return featureCount;
    }

    synchronized long featureBytes() {
        return featureBytes;
    }

    synchronized long labelBytes() {
        return labelBytes;
    }

    /** The label records kept so far. */
    synchronized List<Arrival> labels() {
        return List.copyOf(labels);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
