package dev.strata.processor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/** The splitter against real encoder output: the JDK's JPEG encoder and a camera photograph. */
class MjpegSplitterTest {

    private static final int LIMIT = 16 << 20;

    @Test
    void splitsConcatenatedJpegsByteForByte() throws IOException {
        List<byte[]> images = List.of(
                photo(),
                baseline(noise(97, 61, 1)),
                progressive(noise(64, 48, 2)),
                baseline(new SyntheticScenes(320, 180, 3, 10, 5).render(7)),
                baseline(TestImages.drawing(33, 17)));

        assertThat(splitAll(concat(images))).containsExactlyElementsOf(images);
    }

    @Test
    void stuffedFfBytesInEntropyCodedDataNeverLookLikeAnEndOfImage() throws IOException {
        // JPEG stuffs every FF data byte as FF 00, so in real encoder output the only FF D9 is the
        // last marker: the premise of splitting on markers, checked on noisy images whose
        // entropy-coded data holds many FF bytes.
        for (long seed = 0; seed < 20; seed++) {
            byte[] jpeg = baseline(noise(80, 80, seed));
            assertThat(count(jpeg, 0xFF, 0x00)).as("stuffed FF bytes").isPositive();
            assertThat(count(jpeg, 0xFF, 0xD9)).isEqualTo(1);
            assertThat(Arrays.copyOfRange(jpeg, jpeg.length - 2, jpeg.length)).containsExactly(0xFF, 0xD9);
        }
        List<byte[]> images = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            images.add(baseline(noise(80, 80, seed)));
        }
        assertThat(splitAll(concat(images))).containsExactlyElementsOf(images);
    }

    @Test
    void markersInsideSegmentsDoNotEndTheImage() throws IOException {
        // A JFIF thumbnail whose RGB bytes spell FF D8 and FF D9, and an Exif-style APP1 segment
        // carrying a whole JPEG thumbnail: a search for FF D9 would cut both images short.
        BufferedImage thumbnail = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            thumbnail.setRGB(x, 0, 0xFFD9FF);
            thumbnail.setRGB(x, 1, 0xFFD8FF);
        }
        byte[] withJfifThumbnail = encode(noise(64, 64, 5), List.of(thumbnail), null);
        assertThat(count(withJfifThumbnail, 0xFF, 0xD9)).isGreaterThan(1);
        byte[] withExifThumbnail = withApp1(baseline(noise(64, 64, 6)), baseline(noise(16, 16, 7)));
        assertThat(count(withExifThumbnail, 0xFF, 0xD9)).isEqualTo(2);
        assertThat(ImageIO.read(new ByteArrayInputStream(withExifThumbnail)).getWidth()).isEqualTo(64);

        List<byte[]> images = List.of(withJfifThumbnail, withExifThumbnail, photo());
        assertThat(splitAll(concat(images))).containsExactlyElementsOf(images);
    }

    @Test
    void skipsWhatLiesBetweenImagesLikeMultipartBoundaries() throws IOException {
        byte[] a = photo();
        byte[] b = baseline(noise(50, 40, 8));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] image : List.of(a, b)) {
            stream.writeBytes(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + image.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            stream.writeBytes(image);
            stream.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        stream.writeBytes("--frame--\r\n".getBytes(StandardCharsets.US_ASCII));
        MjpegSplitter splitter = new MjpegSplitter(new ByteArrayInputStream(stream.toByteArray()), LIMIT);

        assertThat(drain(splitter)).containsExactly(a, b);
        assertThat(splitter.skippedBytes()).isEqualTo(stream.size() - a.length - b.length);
        assertThat(splitter.truncatedBytes()).isZero();
    }

    @Test
    void dropsAndCountsAnImageTheStreamEndsInTheMiddleOf() throws IOException {
        byte[] a = baseline(noise(40, 40, 9));
        byte[] b = photo();
        for (int cut : new int[] {1, 2, 3, 20, b.length / 2, b.length - 2, b.length - 1}) {
            byte[] stream = concat(List.of(a, Arrays.copyOf(b, cut)));
            MjpegSplitter splitter = new MjpegSplitter(new ByteArrayInputStream(stream), LIMIT);

            assertThat(drain(splitter)).as("cut at %d", cut).containsExactly(a);
            int expectedTail = cut == 1 ? 0 : cut; // a lone FF does not start an image yet
            assertThat(splitter.truncatedBytes()).as("cut at %d", cut).isEqualTo(expectedTail);
        }
    }

    @Test
    void anImageCutShortByTheNextOneIsDroppedAndTheNextKept() throws IOException {
        byte[] a = photo();
        byte[] b = baseline(noise(40, 30, 10));
        byte[] c = baseline(noise(30, 40, 11));
        byte[] cutA = Arrays.copyOf(a, a.length * 2 / 3);
        MjpegSplitter splitter = new MjpegSplitter(new ByteArrayInputStream(concat(List.of(cutA, b, c))), LIMIT);

        assertThat(drain(splitter)).containsExactly(b, c);
        assertThat(splitter.skippedBytes()).isEqualTo(cutA.length);
    }

    @Test
    void readsAsTheBytesArriveNotTheWholeStreamFirst() throws IOException {
        byte[] image = baseline(noise(120, 90, 12));
        CountingStream endless = new CountingStream(new InputStream() {
            private long position;

            @Override
            public int read() {
                return image[(int) (position++ % image.length)] & 0xFF;
            }
        }, 1); // one byte per read call
        MjpegSplitter splitter = new MjpegSplitter(endless, LIMIT);

        for (int i = 0; i < 3; i++) {
            assertThat(splitter.next()).hasValueSatisfying(frame -> assertThat(frame).isEqualTo(image));
        }
        assertThat(endless.bytesRead).isEqualTo(3L * image.length);
    }

    @Test
    void refusesAnImageLargerThanTheLimit() {
        byte[] big = photo();
        MjpegSplitter splitter = new MjpegSplitter(new ByteArrayInputStream(big), big.length - 1);

        assertThatThrownBy(splitter::next)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("starting at byte 0")
                .hasMessageContaining("within " + (big.length - 1) + " bytes");
    }

    @Test
    void endsCleanlyOnAnEmptyOrImagelessStream() throws IOException {
        assertThat(new MjpegSplitter(InputStream.nullInputStream(), LIMIT).next()).isEmpty();
        MjpegSplitter text = new MjpegSplitter(new ByteArrayInputStream("not a jpeg".getBytes(StandardCharsets.UTF_8)),
                LIMIT);
        assertThat(text.next()).isEmpty();
        assertThat(text.skippedBytes()).isEqualTo(10);
    }

    static byte[] photo() {
        try (InputStream in = MjpegSplitterTest.class.getResourceAsStream("/images/chelsea.jpg")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    static byte[] baseline(BufferedImage image) {
        return encode(image, null, null);
    }

    private static byte[] progressive(BufferedImage image) {
        return encode(image, null, ImageWriteParam.MODE_DEFAULT);
    }

    private static byte[] encode(BufferedImage image, List<BufferedImage> thumbnails, Integer progressiveMode) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressiveMode != null) {
                param.setProgressiveMode(progressiveMode);
            }
            writer.write(null, new IIOImage(image, thumbnails, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** {@code jpeg} with an APP1 segment holding "Exif\0\0" and a thumbnail JPEG, right after its SOI. */
    private static byte[] withApp1(byte[] jpeg, byte[] thumbnail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        byte[] payload = concat(List.of("Exif\0\0".getBytes(StandardCharsets.US_ASCII), thumbnail));
        int length = payload.length + 2;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static List<byte[]> splitAll(byte[] stream) throws IOException {
        MjpegSplitter splitter = new MjpegSplitter(new ByteArrayInputStream(stream), LIMIT);
        List<byte[]> images = drain(splitter);
        assertThat(splitter.skippedBytes()).isZero();
        assertThat(splitter.truncatedBytes()).isZero();
        return images;
    }

    private static List<byte[]> drain(MjpegSplitter splitter) throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (Optional<byte[]> image = splitter.next(); image.isPresent(); image = splitter.next()) {
            images.add(image.get());
        }
        return images;
    }

    private static int count(byte[] bytes, int first, int second) {
        int n = 0;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == first && (bytes[i + 1] & 0xFF) == second) {
                n++;
            }
        }
        return n;
    }

    /** Hands out at most {@code chunk} bytes per read and counts them. */
    private static final class CountingStream extends FilterInputStream {

        private final int chunk;
        private long bytesRead;

        CountingStream(InputStream in, int chunk) {
            super(in);
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, chunk));
            bytesRead += Math.max(0, n);
            return n;
        }
    }
}
