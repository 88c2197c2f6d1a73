package dev.strata.processor.frame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A frame record whose key, headers and size have been checked; the pixels are not decoded yet.
 *
 * <p>The value array is shared, not copied: nothing in Strata writes to it.
 *
 * @param streamId        the record key: the camera or stream the frame belongs to
 * @param frameId         the {@code frame-id} header, or {@code <partition>-<offset>}
 * @param captureTs       the {@code capture-ts} header (epoch ms), or the record timestamp
 * @param contentType     from the {@code content-type} header, or sniffed from the bytes
 * @param declaredSize    the {@code width}/{@code height} headers when given (always for rgb8)
 * @param value           the encoded image or raw pixels
 * @param source          topic, partition and offset the frame was read from
 * @param recordTimestamp the Kafka record timestamp
 * @param headers         a read-only copy of the record's headers, for the dead-letter record
 */
public record FrameEnvelope(
        String streamId,
        String frameId,
        long captureTs,
        ContentType contentType,
        Optional<Dimensions> declaredSize,
        byte[] value,
        FrameSource source,
        long recordTimestamp,
        Headers headers) {

    public FrameEnvelope {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(declaredSize, "declaredSize");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(headers, "headers");
    }

    /**
     * Checks a frame record and reads its headers.
     *
     * @param key             record key, the stream id in UTF-8
     * @param value           record value
     * @param headers         record headers; {@code null} counts as none
     * @param source          where the record was read
     * @param recordTimestamp the record's timestamp, the default capture time
     * @param limits          the byte limit is applied here; pixel limits when decoding
     * @throws FrameRejectedException with reason BAD_KEY, EMPTY, TOO_LARGE_BYTES, BAD_HEADER or
     *                                UNSUPPORTED_TYPE; key and headers over
     *                                {@link FrameLimits#MAX_KEY_AND_HEADERS_BYTES} are BAD_KEY or BAD_HEADER
     */
    public static FrameEnvelope parse(byte[] key, byte[] value, Headers headers, FrameSource source,
                                      long recordTimestamp, FrameLimits limits) throws FrameRejectedException {
        RecordHeaders original = new RecordHeaders(headers == null ? new Header[0] : headers.toArray());
        original.setReadOnly();

        String streamId = streamId(key, source);
        if (value == null || value.length == 0) {
            throw new FrameRejectedException(RejectReason.EMPTY, source, "the record value is empty");
        }
        if (value.length > limits.maxBytes()) {
            throw new FrameRejectedException(RejectReason.TOO_LARGE_BYTES, source, "the value has " + value.length
                    + " bytes, more than the limit of " + limits.maxBytes() + " (strata.frame.max-bytes)");
        }
        long keyAndHeaders = key.length + headerBytes(original);
        if (keyAndHeaders > FrameLimits.MAX_KEY_AND_HEADERS_BYTES) {
            throw new FrameRejectedException(RejectReason.BAD_HEADER, source, "the key and headers take "
                    + keyAndHeaders + " bytes, more than the " + FrameLimits.MAX_KEY_AND_HEADERS_BYTES
                    + " that are copied into output records");
        }

        Optional<String> frameIdHeader = text(original, FrameHeaders.FRAME_ID, source);
        if (frameIdHeader.isPresent() && frameIdHeader.get().isEmpty()) {
            throw new FrameRejectedException(RejectReason.BAD_HEADER, source, "header frame-id is empty");
        }
        String frameId = frameIdHeader.orElse(source.partition() + "-" + source.offset());
        long captureTs = decimal(original, FrameHeaders.CAPTURE_TS, source).orElse(recordTimestamp);
        Optional<Dimensions> declaredSize = dimensions(original, source);
        ContentType contentType = contentType(original, value, source);
        if (contentType.isRaw() && declaredSize.isEmpty()) {
            throw new FrameRejectedException(RejectReason.BAD_HEADER, source,
                    "content-type " + contentType.mediaType() + " needs the width and height headers");
        }
        return new FrameEnvelope(streamId, frameId, captureTs, contentType, declaredSize, value, source,
                recordTimestamp, original);
    }

    private static String streamId(byte[] key, FrameSource source) throws FrameRejectedException {
        if (key == null || key.length == 0) {
            throw new FrameRejectedException(RejectReason.BAD_KEY, source,
                    "the record key (the stream id) is " + (key == null ? "null" : "empty"));
        }
        if (key.length > FrameLimits.MAX_KEY_AND_HEADERS_BYTES) {
            throw new FrameRejectedException(RejectReason.BAD_KEY, source, "the record key (the stream id) has "
                    + key.length + " bytes, more than " + FrameLimits.MAX_KEY_AND_HEADERS_BYTES);
        }
        try {
            return strictUtf8(key);
        } catch (CharacterCodingException e) {
            throw new FrameRejectedException(RejectReason.BAD_KEY, source, "the record key is not valid UTF-8", e);
        }
    }

    private static long headerBytes(Headers headers) {
        long bytes = 0;
        for (Header header : headers) {
            bytes += header.key().getBytes(StandardCharsets.UTF_8).length
                    + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }

    private static ContentType contentType(Headers headers, byte[] value, FrameSource source)
            throws FrameRejectedException {
        Optional<String> header = text(headers, FrameHeaders.CONTENT_TYPE, source);
        if (header.isPresent()) {
            return ContentType.fromHeader(header.get()).orElseThrow(() -> new FrameRejectedException(
                    RejectReason.UNSUPPORTED_TYPE, source, "content-type '" + header.get()
                    + "' is not one of image/jpeg, image/png, image/bmp, application/x-rgb8"));
        }
        return ContentType.sniff(value).orElseThrow(() -> new FrameRejectedException(
                RejectReason.UNSUPPORTED_TYPE, source,
                "no content-type header and the value does not start like a JPEG, PNG or BMP image"));
    }

    private static Optional<Dimensions> dimensions(Headers headers, FrameSource source)
            throws FrameRejectedException {
        Optional<Long> width = decimal(headers, FrameHeaders.WIDTH, source);
        Optional<Long> height = decimal(headers, FrameHeaders.HEIGHT, source);
        if (width.isEmpty() && height.isEmpty()) {
            return Optional.empty();
        }
        if (width.isEmpty() || height.isEmpty()) {
            throw new FrameRejectedException(RejectReason.BAD_HEADER, source,
                    "headers width and height must be given together");
        }
        if (width.get() < 1 || height.get() < 1 || width.get() > Integer.MAX_VALUE
                || height.get() > Integer.MAX_VALUE) {
            throw new FrameRejectedException(RejectReason.BAD_HEADER, source,
                    "width " + width.get() + " x height " + height.get() + " is not a valid image size");
        }
        return Optional.of(new Dimensions(width.get().intValue(), height.get().intValue()));
    }

    /** A non-negative decimal header. */
    private static Optional<Long> decimal(Headers headers, String name, FrameSource source)
            throws FrameRejectedException {
        Optional<String> text = text(headers, name, source);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String digits = text.get().trim();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FrameRejectedException(RejectReason.BAD_HEADER, source, "header " + name + " = '"
                    + abbreviate(text.get()) + "' is not a non-negative decimal number");
        }
        return Optional.of(Long.parseLong(digits));
    }

    /** The last header of that name as UTF-8 text, Kafka's convention for repeated headers. */
    private static Optional<String> text(Headers headers, String name, FrameSource source)
            throws FrameRejectedException {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(strictUtf8(header.value()));
        } catch (CharacterCodingException e) {
            throw new FrameRejectedException(RejectReason.BAD_HEADER, source,
                    "header " + name + " is not valid UTF-8", e);
        }
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
