package dev.strata.processor.frame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

/**
 * Turns a frame's value into RGB pixels, enforcing the pixel limits before any pixel is decoded.
 *
 * <p>Thread-safe: every call uses its own ImageIO reader. Nothing but {@link FrameRejectedException}
 * leaves {@link #decode}: ImageIO throws odd things on hostile input (ArrayIndexOutOfBounds,
 * NegativeArraySize, even OutOfMemoryError for huge declared sizes), and a bad frame must never
 * stop the stream.
 */
public final class FrameDecoder {

    private final FrameLimits limits;

    public FrameDecoder(FrameLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Decodes a frame.
     *
     * @throws FrameRejectedException TOO_MANY_PIXELS, UNDECODABLE, CORRUPT, or UNSUPPORTED_TYPE when
     *                                this JVM has no reader for the format
     */
    public RgbImage decode(FrameEnvelope frame) throws FrameRejectedException {
        return frame.contentType().isRaw() ? raw(frame) : encoded(frame);
    }

    private RgbImage raw(FrameEnvelope frame) throws FrameRejectedException {
        // parse() guarantees raw frames carry their size.
        Dimensions size = frame.declaredSize().orElseThrow();
        checkPixels(size, frame.source());
        long expected = size.pixels() * 3;
        if (frame.value().length != expected) {
            throw new FrameRejectedException(RejectReason.CORRUPT, frame.source(), "an rgb8 frame of " + size
                    + " needs " + expected + " bytes (width x height x 3) but the value has " + frame.value().length);
        }
        return RgbImage.packed(frame.value(), size.width(), size.height());
    }

    private RgbImage encoded(FrameEnvelope frame) throws FrameRejectedException {
        FrameSource source = frame.source();
        String format = frame.contentType().imageIoFormat();
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new FrameRejectedException(RejectReason.UNSUPPORTED_TYPE, source, "this JVM has no " + format
                    + " decoder");
        }
        ImageReader reader = readers.next();
        try {
            // The stream holds nothing but the array, so it is left to the garbage collector.
            reader.setInput(new ByteArrayImageInputStream(frame.value()), true, true);
            Dimensions size = header(reader, frame);
            checkPixels(size, source);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            RgbImage pixels;
            try {
                pixels = RgbImage.of(reader.read(0));
            } catch (IOException | RuntimeException | Error e) {
                throw new FrameRejectedException(RejectReason.CORRUPT, source, "the " + size + " " + format
                        + " image cannot be decoded: " + describe(e), e);
            }
            // libjpeg only warns about a truncated file and fills the missing rows with grey.
            // Other warnings (e.g. extraneous bytes before a marker) are common in camera output
            // and harmless, so they are let through.
            for (String warning : warnings) {
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("premature end") || lower.contains("truncated")) {
                    throw new FrameRejectedException(RejectReason.CORRUPT, source,
                            "the " + format + " data is truncated: " + warning);
                }
            }
            return pixels;
        } finally {
            reader.dispose();
        }
    }

    private static Dimensions header(ImageReader reader, FrameEnvelope frame) throws FrameRejectedException {
        String format = frame.contentType().imageIoFormat();
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException | Error e) {
            throw new FrameRejectedException(RejectReason.UNDECODABLE, frame.source(),
                    "not a readable " + format + " image" + sniffedHint(frame) + ": " + describe(e), e);
        }
        if (width <= 0 || height <= 0) {
            throw new FrameRejectedException(RejectReason.UNDECODABLE, frame.source(),
                    "the " + format + " header declares an empty image of " + width + "x" + height);
        }
        return new Dimensions(width, height);
    }

    private void checkPixels(Dimensions size, FrameSource source) throws FrameRejectedException {
        if (!limits.admits(size)) {
            throw new FrameRejectedException(RejectReason.TOO_MANY_PIXELS, source, "the image is " + size + " ("
                    + size.pixels() + " pixels); the limits are " + limits.maxPixels()
                    + " pixels (strata.frame.max-pixels) and " + limits.maxSide() + " per side (strata.frame.max-side)");
        }
    }

    private static String sniffedHint(FrameEnvelope frame) {
        return ContentType.sniff(frame.value())
                .filter(actual -> actual != frame.contentType())
                .map(actual -> " (the bytes look like " + actual.mediaType() + ")")
                .orElse("");
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
