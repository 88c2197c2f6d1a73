package dev.strata.processor.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Splits a stream of concatenated JPEG images (MJPEG: a {@code .mjpeg} file, ffmpeg's
 * {@code -f mjpeg} output, a camera's {@code multipart/x-mixed-replace} body) into the images,
 * byte for byte, reading as it goes.
 *
 * <p>An image runs from its SOI marker ({@code FF D8}) to its EOI marker ({@code FF D9}), but a
 * plain search for {@code FF D9} is not enough: an APP1 (Exif) or APP0 (JFXX) segment may hold a
 * whole thumbnail JPEG with its own SOI and EOI. So the splitter walks the marker segments,
 * skipping each by its length, and scans only entropy-coded data for the next marker, where an
 * {@code FF} data byte is always followed by a stuffed {@code 00} and restart markers
 * ({@code FF D0}-{@code FF D7}) belong to the data. Bytes between images (multipart boundaries
 * and part headers) are skipped. An image cut short by a new SOI is dropped; one cut short by
 * the end of the stream is dropped and counted in {@link #truncatedBytes()}.
 *
 * <p>Not thread-safe.
 */
public final class MjpegSplitter {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;
    private static final int END = -1;
    private static final int MALFORMED = -2;

    private final InputStream in;
    private final int maxFrameBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long offset;

    private byte[] frame = new byte[64 * 1024];
    private int size;
    private long frameStart;
    private long skippedBytes;
    private long truncatedBytes;

    /** @param maxFrameBytes the largest image accepted; a longer one is an error, not a buffer that grows without end */
    public MjpegSplitter(InputStream in, int maxFrameBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxFrameBytes < 4) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 4: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The next whole JPEG image, from its SOI to its EOI inclusive, or empty at the end of the
     * stream.
     *
     * @throws IOException from the stream, or when an image exceeds the size limit
     */
    public Optional<byte[]> next() throws IOException {
        if (!findStartOfImage()) {
            return Optional.empty();
        }
        int marker = readMarker();
        while (true) {
            switch (marker) {
                case END -> {
                    truncatedBytes += size;
                    return Optional.empty();
                }
                case MALFORMED -> {
                    skippedBytes += size;
                    if (!findStartOfImage()) {
                        return Optional.empty();
                    }
                    marker = readMarker();
                }
                case EOI -> {
                    return Optional.of(Arrays.copyOf(frame, size));
                }
                case SOI -> {
                    // A new image began before this one ended: keep the new one.
                    skippedBytes += size - 2;
                    startFrame(offset - 2);
                    marker = readMarker();
                }
                default -> {
                    if (marker == TEM || (marker >= 0xD0 && marker <= 0xD7)) {
                        marker = readMarker();
                    } else {
                        int copied = copySegment();
                        marker = copied != 0 ? copied : marker == SOS ? scanEntropyCodedData() : readMarker();
                    }
                }
            }
        }
    }

    /** Bytes outside any image so far: boundaries, part headers, damaged images. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Bytes of an image the stream ended in the middle of. */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    /** Skips to just after the next {@code FF D8} and starts a frame with it; false at the end. */
    private boolean findStartOfImage() throws IOException {
        size = 0;
        boolean afterFf = false;
        for (int b = read(); b >= 0; b = read()) {
            if (afterFf && b == SOI) {
                skippedBytes--; // the FF counted below belongs to the image
                startFrame(offset - 2);
                return true;
            }
            afterFf = b == 0xFF;
            skippedBytes++;
        }
        return false;
    }

    private void startFrame(long start) throws IOException {
        size = 0;
        frameStart = start;
        append(0xFF);
        append(SOI);
    }

    /** A marker must start right here: {@code FF}, optional {@code FF} fill bytes, then its code. */
    private int readMarker() throws IOException {
        int b = read();
        if (b < 0) {
            return END;
        }
        append(b);
        if (b != 0xFF) {
            return MALFORMED;
        }
        return markerCode();
    }

    /** After an {@code FF}: skips fill bytes and returns the marker code. */
    private int markerCode() throws IOException {
        int b;
        do {
            b = read();
            if (b < 0) {
                return END;
            }
            append(b);
        } while (b == 0xFF);
        return b == 0x00 ? MALFORMED : b;
    }

    /** Copies a marker segment's length field and body; 0 when done, else END or MALFORMED. */
    private int copySegment() throws IOException {
        int high = read();
        int low = high < 0 ? -1 : read();
        if (low < 0) {
            return END;
        }
        append(high);
        append(low);
        int length = (high << 8) | low;
        if (length < 2) {
            return MALFORMED;
        }
        for (int i = 2; i < length; i++) {
            int b = read();
            if (b < 0) {
                return END;
            }
            append(b);
        }
        return 0;
    }

    /** Copies entropy-coded data up to the next marker and returns that marker's code. */
    private int scanEntropyCodedData() throws IOException {
        while (true) {
            int b = read();
            if (b < 0) {
                return END;
            }
            append(b);
            if (b == 0xFF) {
                int code = markerCode();
                if (code == MALFORMED || (code >= 0xD0 && code <= 0xD7)) {
                    continue; // FF 00 is a stuffed data byte; restart markers are part of the data
                }
                return code;
            }
        }
    }

    private void append(int b) throws IOException {
        if (size == maxFrameBytes) {
            throw new IOException("the JPEG image starting at byte " + frameStart + " has no end-of-image marker within "
                    + maxFrameBytes + " bytes: the input is not MJPEG, or the image exceeds the limit");
        }
        if (size == frame.length) {
            frame = Arrays.copyOf(frame, (int) Math.min((long) frame.length * 2, maxFrameBytes));
        }
        frame[size++] = (byte) b;
    }

    private int read() throws IOException {
        if (position == limit) {
            int n = in.read(buffer);
            if (n <= 0) {
                return -1;
            }
            position = 0;
            limit = n;
        }
        offset++;
        return buffer[position++] & 0xFF;
    }
}
