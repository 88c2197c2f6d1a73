package dev.strata.processor.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * JPEG frames encoded once before any measurement, so the load generator only copies bytes: a
 * gradient, a few shapes and per-pixel noise (camera sensors are noisy, and noise is what makes
 * JPEGs of real footage large and slow to decode).
 *
 * @param jpegs  the encoded frames, sent in turn
 * @param width  frame width in pixels
 * @param height frame height in pixels
 */
record FrameSet(List<byte[]> jpegs, int width, int height) {

    FrameSet {
        jpegs = List.copyOf(jpegs);
        if (jpegs.isEmpty()) {
            throw new IllegalArgumentException("a frame set needs at least one frame");
        }
    }

    static FrameSet generate(int count, int width, int height, long seed) {
        Random random = new Random(seed);
        List<byte[]> jpegs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            jpegs.add(encode(draw(width, height, random)));
        }
        return new FrameSet(jpegs, width, height);
    }

    byte[] frame(long index) {
        return jpegs.get((int) (index % jpegs.size()));
    }

    double meanBytes() {
        return jpegs.stream().mapToInt(b -> b.length).average().orElse(0);
    }

    private static BufferedImage draw(int width, int height, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, colour(random), width, height, colour(random)));
        g.fillRect(0, 0, width, height);
        for (int s = 0; s < 6; s++) {
            g.setColor(colour(random));
            int w = 1 + random.nextInt(Math.max(1, width / 2));
            int h = 1 + random.nextInt(Math.max(1, height / 2));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            if (random.nextBoolean()) {
                g.fillOval(x - w / 2, y - h / 2, w, h);
            } else {
                g.fillRect(x - w / 2, y - h / 2, w, h);
            }
        }
        g.dispose();
        byte[] pixels = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int p = 0; p < pixels.length; p++) {
            int v = (pixels[p] & 0xFF) + (int) Math.round(random.nextGaussian() * 6);
            pixels[p] = (byte) Math.max(0, Math.min(255, v));
        }
        return image;
    }

    private static Color colour(Random random) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "jpg", out)) {
                throw new IllegalStateException("this JVM has no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
