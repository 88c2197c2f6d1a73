package dev.strata.processor.frame;

import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageInputStream over a byte array. ImageIO's own streams either copy the input into a
 * memory cache or spill it to a temporary file; a frame is already in memory.
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {

    private final byte[] bytes;

    ByteArrayImageInputStream(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public int read() {
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(len, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.length;
    }
}
