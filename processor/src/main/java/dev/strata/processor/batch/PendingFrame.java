package dev.strata.processor.batch;

import dev.strata.processor.frame.FrameSource;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A consumed frame record exactly as it arrived, kept in the task's durable pending store until
 * its labels (or its dead letter) are forwarded. Holding the encoded bytes rather than the decoded
 * tensor keeps the changelog small and lets a restored frame go through the same path again.
 */
public record PendingFrame(
        String topic,
        int partition,
        long offset,
        long timestamp,
        byte[] key,
        byte[] value,
        List<Header> headers) {

    public PendingFrame {
        headers = List.copyOf(headers);
    }

    public static PendingFrame of(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
            Headers headers) {
        return new PendingFrame(
                topic, partition, offset, timestamp, key, value,
                headers == null ? List.of() : List.of(headers.toArray()));
    }

    /** A fresh, mutable copy of the original headers (Kafka's Headers are mutable). */
    public Headers kafkaHeaders() {
        RecordHeaders copy = new RecordHeaders();
        for (Header header : headers) {
            copy.add(new RecordHeader(header.key(), header.value()));
        }
        return copy;
    }

    /** Where the frame came from, for error messages and dead-letter headers. */
    public FrameSource frameSource() {
        return new FrameSource(topic, partition, offset);
    }
}
