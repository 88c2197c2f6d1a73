package dev.strata.processor.source;

import dev.strata.processor.frame.ContentType;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Synthetic video: a few distinct scenes (a background, a handful of shapes moving and bouncing
 * off the edges) that cut from one to the next every {@code sceneSeconds}, so that both smooth
 * motion and hard scene changes show up in the frames. Rendered with Java2D and encoded as JPEG.
 *
 * <p>Frame {@code i} depends only on the seed and {@code i}: the same seed gives the same bytes.
 * Time inside the video is {@code i / fps}, so motion and cuts look the same at any sending
 * rate. Never ends.
 */
public final class SyntheticScenes implements ImageSource {

    /** Scenes per cycle; the video cuts to the next one every {@code sceneSeconds}, then starts over. */
    public static final int SCENES = 4;

    private static final float JPEG_QUALITY = 0.85f;

    private final int width;
    private final int height;
    private final long seed;
    private final double fps;
    private final long framesPerScene;
    private final List<Scene> scenes;
    private final ImageWriter writer;
    private long index;

    /**
     * @param fps          frames per second of video time: sets how far shapes move per frame
     * @param sceneSeconds video time between cuts
     */
    public SyntheticScenes(int width, int height, long seed, double fps, double sceneSeconds) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("synthetic frames need at least 16x16 pixels, not " + width + "x" + height);
        }
        if (!(fps > 0) || !(sceneSeconds > 0)) {
            throw new IllegalArgumentException("fps (" + fps + ") and scene length (" + sceneSeconds
                    + " s) must be positive");
        }
        this.width = width;
        this.height = height;
        this.seed = seed;
        this.fps = fps;
        this.framesPerScene = Math.max(1, Math.round(sceneSeconds * fps));
        Random random = new Random(seed);
        List<Scene> built = new ArrayList<>(SCENES);
        for (int i = 0; i < SCENES; i++) {
            built.add(Scene.random(random, Backdrop.values()[i % Backdrop.values().length], width, height));
        }
        this.scenes = List.copyOf(built);
        this.writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    }

    @Override
    public Optional<EncodedFrame> next() throws IOException {
        return Optional.of(new EncodedFrame(encode(render(index++)), ContentType.JPEG));
    }

    /** Which of the {@link #SCENES} scenes frame {@code frameIndex} shows. */
    public int sceneOf(long frameIndex) {
        return (int) ((frameIndex / framesPerScene) % SCENES);
    }

    /** Frame {@code frameIndex} as pixels. */
    public BufferedImage render(long frameIndex) {
        double t = (frameIndex % framesPerScene) / fps;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            scenes.get(sceneOf(frameIndex)).paint(g, width, height, t);
        } finally {
            g.dispose();
        }
        return image;
    }

    @Override
    public String describe() {
        return "synthetic scenes " + width + "x" + height + ", seed " + seed + ", a cut every " + framesPerScene
                + " frames";
    }

    @Override
    public void close() {
        writer.dispose();
    }

    private byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(width * height / 8);
        // A memory-cached stream: ImageIO's default may cache through temporary files.
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.setOutput(null);
        }
        return bytes.toByteArray();
    }

    private enum Backdrop { LINEAR, RADIAL, STRIPES, CHECKS }

    private enum Form { ELLIPSE, BOX, ROUNDED, TRIANGLE, RING }

    private record Scene(Backdrop backdrop, Color from, Color to, double pattern, List<Sprite> sprites) {

        static Scene random(Random random, Backdrop backdrop, int width, int height) {
            int count = 3 + random.nextInt(4);
            List<Sprite> sprites = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sprites.add(Sprite.random(random, width, height));
            }
            return new Scene(backdrop, randomColour(random), randomColour(random), 12 + random.nextInt(40), sprites);
        }

        void paint(Graphics2D g, int width, int height, double t) {
            switch (backdrop) {
                case LINEAR -> {
                    g.setPaint(new GradientPaint(0, 0, from, width, height, to));
                    g.fillRect(0, 0, width, height);
                }
                case RADIAL -> {
                    g.setPaint(new RadialGradientPaint(new Point2D.Float(width / 2f, height / 2f),
                            Math.max(width, height) / 1.5f, new float[] {0f, 1f}, new Color[] {from, to},
                            MultipleGradientPaint.CycleMethod.NO_CYCLE));
                    g.fillRect(0, 0, width, height);
                }
                case STRIPES -> {
                    g.setColor(from);
                    g.fillRect(0, 0, width, height);
                    g.setColor(to);
                    g.setStroke(new BasicStroke((float) pattern / 2));
                    for (double x = -height; x < width; x += pattern) {
                        g.draw(new Line2D.Double(x, height, x + height, 0));
                    }
                }
                case CHECKS -> {
                    int cell = (int) pattern;
                    for (int y = 0; y < height; y += cell) {
                        for (int x = 0; x < width; x += cell) {
                            g.setColor(((x + y) / cell) % 2 == 0 ? from : to);
                            g.fillRect(x, y, cell, cell);
                        }
                    }
                }
            }
            for (Sprite sprite : sprites) {
                sprite.paint(g, width, height, t);
            }
        }
    }

    /** A shape moving at constant speed, bouncing off the frame's edges, turning as it goes. */
    private record Sprite(Form form, Color colour, double w, double h, double x0, double y0, double vx, double vy,
                          double spin) {

        static Sprite random(Random random, int width, int height) {
            double side = Math.min(width, height);
            double w = side * (0.1 + 0.25 * random.nextDouble());
            double h = side * (0.1 + 0.25 * random.nextDouble());
            // Speeds in pixels per second, proportional to the frame so motion looks alike at any size.
            double speed = width * (0.1 + 0.4 * random.nextDouble());
            double angle = random.nextDouble() * 2 * Math.PI;
            return new Sprite(Form.values()[random.nextInt(Form.values().length)], randomColour(random), w, h,
                    random.nextDouble() * Math.max(1, width - w), random.nextDouble() * Math.max(1, height - h),
                    speed * Math.cos(angle), speed * Math.sin(angle), (random.nextDouble() - 0.5) * 2);
        }

        void paint(Graphics2D g, int width, int height, double t) {
            double x = bounce(x0 + vx * t, Math.max(1, width - w));
            double y = bounce(y0 + vy * t, Math.max(1, height - h));
            AffineTransform saved = g.getTransform();
            g.translate(x + w / 2, y + h / 2);
            g.rotate(spin * t);
            g.setColor(colour);
            Shape shape = switch (form) {
                case ELLIPSE -> new Ellipse2D.Double(-w / 2, -h / 2, w, h);
                case BOX -> new Rectangle2D.Double(-w / 2, -h / 2, w, h);
                case ROUNDED -> new RoundRectangle2D.Double(-w / 2, -h / 2, w, h, w / 3, h / 3);
                case TRIANGLE -> triangle(w, h);
                case RING -> new Ellipse2D.Double(-w / 2, -h / 2, w, h);
            };
            if (form == Form.RING) {
                g.setStroke(new BasicStroke((float) Math.max(2, Math.min(w, h) / 6)));
                g.draw(shape);
            } else {
                g.fill(shape);
                g.setColor(colour.darker());
                g.setStroke(new BasicStroke(2f));
                g.draw(shape);
            }
            g.setTransform(saved);
        }

        private static Shape triangle(double w, double h) {
            Path2D.Double path = new Path2D.Double();
            path.moveTo(0, -h / 2);
            path.lineTo(w / 2, h / 2);
            path.lineTo(-w / 2, h / 2);
            path.closePath();
            return path;
        }

        /** Position on [0, span] of a point moving freely and reflecting at both ends. */
        private static double bounce(double p, double span) {
            double m = ((p % (2 * span)) + 2 * span) % (2 * span);
            return m <= span ? m : 2 * span - m;
        }
    }

    private static Color randomColour(Random random) {
        return Color.getHSBColor(random.nextFloat(), 0.45f + 0.55f * random.nextFloat(), 0.35f + 0.65f * random.nextFloat());
    }
}
