package dev.strata.processor.frame;

/**
 * Input limits that protect the processor from oversized frames and decompression bombs.
 *
 * @param maxBytes  largest accepted record value in bytes
 * @param maxPixels largest accepted width x height, checked from the image header before decoding
 * @param maxSide   largest accepted width or height
 */
public record FrameLimits(int maxBytes, long maxPixels, int maxSide) {

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
