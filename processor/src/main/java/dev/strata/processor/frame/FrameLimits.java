package dev.strata.processor.frame;

/**
 * Input limits that protect the processor from oversized frames and decompression bombs.
 *
 * @param maxBytes  largest accepted record value in bytes
 * @param maxPixels largest accepted width x height, checked from the image header before decoding
 * @param maxSide   largest accepted width or height
 */
public record FrameLimits(int maxBytes, long maxPixels, int maxSide) {

    /**
     * Most bytes a frame's key and headers may take together. They are copied into the pending
     * frames' changelog, the labels and the dead letters, so a frame whose key or headers are
     * unbounded could make every retry of those writes exceed the producer's max.request.size and
     * stop the stream thread on every restart. The record room checked at start-up (frame bytes +
     * 64 KiB) covers this plus the dead-letter headers.
     */
    public static final int MAX_KEY_AND_HEADERS_BYTES = 32 * 1024;

    public FrameLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("frame limits must be positive: " + maxBytes + " bytes, "
                    + maxPixels + " pixels, " + maxSide + " per side");
        }
    }

    /** Whether an image of this size is within the pixel and side limits. */
    public boolean admits(Dimensions size) {
        return size.pixels() <= maxPixels && size.width() <= maxSide && size.height() <= maxSide;
    }
}
