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
 * the stream, the very thing dead letters exist to prevent. If it still does not fit, the
 * original headers go too ({@value #HEADERS_OMITTED}), then the key ({@value #KEY_OMITTED}).
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
    /** Decimal size of the original headers; present only when they were left out. */
    public static final String HEADERS_OMITTED = "error-headers-omitted-bytes";
    /** Decimal length of the original key; present only when the key was left out. */
    public static final String KEY_OMITTED = "error-key-omitted-bytes";

    private static final String[] VERDICT_HEADERS = {ERROR_CLASS, ERROR_MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION,
        SOURCE_OFFSET, VALUE_OMITTED, HEADERS_OMITTED, KEY_OMITTED};

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
        RecordHeaders kept = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        // A frame re-driven from the dead-letter topic must not carry its old verdict.
        for (String name : VERDICT_HEADERS) {
            kept.remove(name);
        }
        FrameSource source = rejection.source();
        RecordHeaders verdict = new RecordHeaders();
        add(verdict, ERROR_CLASS, rejection.reason().name());
        add(verdict, ERROR_MESSAGE, abbreviate(rejection.detail()));
        add(verdict, SOURCE_TOPIC, source.topic());
        add(verdict, SOURCE_PARTITION, Integer.toString(source.partition()));
        add(verdict, SOURCE_OFFSET, Long.toString(source.offset()));

        // What does not fit is left out, least useful first; the verdict always fits.
        byte[] keptValue = value;
        byte[] keptKey = key;
        if (value != null && size(key, value, kept, verdict) > maxRecordBytes) {
            add(verdict, VALUE_OMITTED, Integer.toString(value.length));
            keptValue = null;
        }
        if (kept.toArray().length > 0 && size(key, null, kept, verdict) > maxRecordBytes) {
            add(verdict, HEADERS_OMITTED, Long.toString(size(null, null, kept, new RecordHeaders())
                    - RECORD_OVERHEAD_BYTES));
            kept = new RecordHeaders();
        }
        if (key != null && size(key, null, kept, verdict) > maxRecordBytes) {
            add(verdict, KEY_OMITTED, Integer.toString(key.length));
            keptKey = null;
        }
        verdict.forEach(kept::add);
        return new DeadLetter(keptKey, keptValue, kept, timestamp);
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

    private static long size(byte[] key, byte[] value, Headers... headerSets) {
        long size = RECORD_OVERHEAD_BYTES + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Headers headers : headerSets) {
            for (Header header : headers) {
                size += header.key().getBytes(StandardCharsets.UTF_8).length
                        + (header.value() == null ? 0 : header.value().length);
            }
        }
        return size;
    }

    private static String abbreviate(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
