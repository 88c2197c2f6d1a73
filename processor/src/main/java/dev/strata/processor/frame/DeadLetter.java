package dev.strata.processor.frame;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A record for the dead-letter topic: the rejected frame's key, value, headers and timestamp,
 * plus UTF-8 headers saying why and where from.
 *
 * <p>The value is dropped (and {@value #VALUE_OMITTED} says how long it was) only when the
 * record would not fit in one producer request: a frame over the byte limit can still be larger
 * than the producer's {@code max.request.size}, and failing to write a dead letter would stop
 * the stream, the very thing dead letters exist to prevent.
 */
public record DeadLetter(byte[] key, byte[] value, Headers headers, long timestamp) {

    /** The {@link RejectReason} name. */
    public static final String ERROR_CLASS = "error-class";
    /** Human-readable explanation. */
    public static final String ERROR_MESSAGE = "error-message";
    public static final String SOURCE_TOPIC = "source-topic";
    /** Decimal. */
    public static final String SOURCE_PARTITION = "source-partition";
    /** Decimal. */
    public static final String SOURCE_OFFSET = "source-offset";
    /** Decimal length of the original value; present only when the value was left out. */
    public static final String VALUE_OMITTED = "error-value-omitted-bytes";

    /** Room for the record and batch framing of a single-record produce request. */
    private static final int RECORD_OVERHEAD_BYTES = 1024;
    private static final int MAX_MESSAGE_CHARS = 2000;

    public DeadLetter {
        Objects.requireNonNull(headers, "headers");
    }

    /**
     * Builds the dead letter of a record that failed before or during parsing.
     *
     * @param maxRecordBytes the producer's {@code max.request.size}
     */
    public static DeadLetter of(byte[] key, byte[] value, Headers original, long timestamp,
                                FrameRejectedException rejection, int maxRecordBytes) {
        RecordHeaders headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        // A frame re-driven from the dead-letter topic must not carry its old verdict.
        for (String name : new String[] {ERROR_CLASS, ERROR_MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET,
                VALUE_OMITTED}) {
            headers.remove(name);
        }
        FrameSource source = rejection.source();
        add(headers, ERROR_CLASS, rejection.reason().name());
        add(headers, ERROR_MESSAGE, abbreviate(rejection.detail()));
        add(headers, SOURCE_TOPIC, source.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(source.offset()));

        byte[] kept = value;
        if (value != null && size(key, value, headers) > maxRecordBytes) {
            add(headers, VALUE_OMITTED, Integer.toString(value.length));
            kept = null;
        }
        return new DeadLetter(key, kept, headers, timestamp);
    }

    /** Builds the dead letter of a frame rejected after parsing, e.g. while decoding. */
    public static DeadLetter of(FrameEnvelope frame, FrameRejectedException rejection, int maxRecordBytes) {
        return of(frame.streamId().getBytes(StandardCharsets.UTF_8), frame.value(), frame.headers(),
                frame.recordTimestamp(), rejection, maxRecordBytes);
    }

    /** As a Processor API record, ready to forward to the dead-letter sink. */
    public Record<byte[], byte[]> toRecord() {
        return new Record<>(key, value, timestamp, headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static long size(byte[] key, byte[] value, Headers headers) {
        long size = RECORD_OVERHEAD_BYTES + (key == null ? 0 : key.length) + value.length;
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private static String abbreviate(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
