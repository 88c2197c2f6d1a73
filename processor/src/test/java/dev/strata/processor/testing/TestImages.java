package dev.strata.processor.testing;

import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.FrameLimits;
import dev.strata.processor.frame.FrameRejectedException;
import dev.strata.processor.frame.FrameSource;
import dev.strata.processor.frame.RgbImage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Images and frame records drawn in the test, never checked in. */
public final class TestImages {

    public static final FrameSource SOURCE = new FrameSource("frames", 3, 42);
    public static final FrameLimits LIMITS = new FrameLimits(16 << 20, 40_000_000, 16_384);

    private TestImages() {
    }

    /** Shapes on a background, so that codecs have edges and colours to work on. */
    public static BufferedImage drawing(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 60, 90));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 8, height / 8, width / 2, height / 2);
        g.setColor(Color.WHITE);
        g.drawLine(0, height - 1, width - 1, 0);
        g.dispose();
        return image;
    }

    public static BufferedImage solid(int width, int height, int type, Color colour) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** The synthetic pattern of fixtures/pillow_preprocess.py, as packed RGB. */
    public static RgbImage pattern(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0, p = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rgb[p++] = (byte) ((x * 31 + y * 17) % 256);
                rgb[p++] = (byte) (x ^ y);
                rgb[p++] = (byte) ((x * y) >> 3);
            }
        }
        return RgbImage.packed(rgb, width, height);
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG whose header declares a size its (absent) pixel data does not have. */
    public static byte[] pngDeclaring(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    public static Headers headers(String... namesAndValues) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static FrameEnvelope envelope(byte[] value, Headers headers) throws FrameRejectedException {
        return FrameEnvelope.parse(utf8("cam-1"), value, headers, SOURCE, 1_000L, LIMITS);
    }
}
