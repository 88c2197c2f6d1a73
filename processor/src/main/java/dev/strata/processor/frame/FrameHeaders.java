package dev.strata.processor.frame;

/**
 * Kafka header names of a frame record (DESIGN.md, Input). Every header value is UTF-8 text.
 *
 * <p>The record key is the stream (camera) id in UTF-8; the value is the encoded image or the
 * raw pixels.
 */
public final class FrameHeaders {

    /**
     * Media type of the value: {@code image/jpeg}, {@code image/png}, {@code image/bmp} or
     * {@code application/x-rgb8}; the short forms {@code jpeg}, {@code png}, {@code bmp},
     * {@code rgb8} are accepted too. Absent: the type is sniffed from the value's magic bytes.
     */
    public static final String CONTENT_TYPE = "content-type";

    /** Producer-assigned frame id. Absent: {@code <partition>-<offset>} of the record. */
    public static final String FRAME_ID = "frame-id";

    /**
     * Capture time as epoch milliseconds written as a decimal string (e.g. {@code 1732527000123}),
     * not as a binary long. Absent: the Kafka record timestamp.
     */
    public static final String CAPTURE_TS = "capture-ts";

    /** Image width in pixels, decimal. Required with {@code height} for {@code rgb8}. */
    public static final String WIDTH = "width";

    /** Image height in pixels, decimal. Required with {@code width} for {@code rgb8}. */
    public static final String HEIGHT = "height";

    private FrameHeaders() {
    }
}
