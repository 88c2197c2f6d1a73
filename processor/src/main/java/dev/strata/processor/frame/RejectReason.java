package dev.strata.processor.frame;

/** Why a frame went to the dead-letter topic; written as the {@code error-class} header. */
public enum RejectReason {
    /** The value is null or has no bytes. */
    EMPTY,
    /** The key (stream id) is missing, empty or not UTF-8. */
    BAD_KEY,
    /** A frame header is malformed: not UTF-8, not a decimal number, width without height, ... */
    BAD_HEADER,
    /** The content type is unknown, or absent and the bytes are no known image format. */
    UNSUPPORTED_TYPE,
    /** The value is larger than {@code strata.frame.max-bytes}. */
    TOO_LARGE_BYTES,
    /** The declared image size exceeds {@code strata.frame.max-pixels} or {@code max-side}. */
    TOO_MANY_PIXELS,
    /** The image header cannot be read as the declared format. */
    UNDECODABLE,
    /** The header was readable but the pixel data is truncated or damaged. */
    CORRUPT,
    /** The model failed on this frame even when it ran alone, not only in its batch. */
    INFERENCE_FAILED
}
