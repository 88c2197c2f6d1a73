package dev.strata.processor.bench;

import dev.strata.processor.demo.EmbeddedKafka;
import dev.strata.processor.frame.FrameHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the pre-encoded frames, stream {@code cam-i} to partition {@code i}, each with the
 * {@code frame-id} {@code <phase>-<index>} and a {@code capture-ts} of the moment it is handed to
 * the producer. Remembers that moment (nanoTime) per frame for the latency of its label.
 */
final class FrameProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final FrameSet frames;
    private final byte[][] keys;

    FrameProducer(EmbeddedKafka kafka, String topic, int partitions, FrameSet frames) {
        this.producer = new KafkaProducer<>(kafka.clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                // Paced frames go out at once; under a burst the producer batches anyway.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 20 << 20)),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.partitions = partitions;
        this.frames = frames;
        this.keys = new byte[partitions][];
        for (int p = 0; p < partitions; p++) {
            keys[p] = ("cam-" + p).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * When each frame of a paced phase was due and when it was handed over. Latency counts from the
     * due time: a frame sent late because the machine was busy counts its wait (no coordinated
     * omission).
     */
    record Paced(long[] scheduled, long[] sent) {
    }

    /** Sends frame {@code index} of a phase now; returns the nanoTime it was handed over. */
    long send(String phase, long index) {
        long now = System.nanoTime();
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.FRAME_ID, (phase + "-" + index).getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.CONTENT_TYPE, "image/jpeg".getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.CAPTURE_TS,
                Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
        int partition = (int) (index % partitions);
        producer.send(new ProducerRecord<>(topic, partition, keys[partition], frames.frame(index), headers));
        return now;
    }

    /** Sends {@code count} frames as fast as the producer takes them, and waits until all are written. */
    long[] burst(String phase, int count) {
        long[] sent = new long[count];
        for (int i = 0; i < count; i++) {
            sent[i] = send(phase, i);
        }
        producer.flush();
        return sent;
    }

    /**
     * Sends {@code count} frames at {@code framesPerSecond}, on a fixed schedule (a late frame does
     * not shift the ones after it, so the offered rate holds even when a send stalls).
     */
    Paced paced(String phase, int count, double framesPerSecond) {
        long[] scheduled = new long[count];
        long[] sent = new long[count];
        long start = System.nanoTime();
        double interval = 1e9 / framesPerSecond;
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            sent[i] = send(phase, i);
            scheduled[i] = due;
        }
        producer.flush();
        return new Paced(scheduled, sent);
    }

    @Override
    public void close() {
        producer.close();
    }
}
