package dev.strata.processor.frame;

import dev.strata.processor.testing.TestImages;

import static dev.strata.processor.testing.TestImages.envelope;
import static dev.strata.processor.testing.TestImages.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    private final FrameDecoder decoder = new FrameDecoder(TestImages.LIMITS);

    private RgbImage decode(byte[] value, String... headers) throws FrameRejectedException {
        return decoder.decode(envelope(value, headers(headers)));
    }

    private void assertRejected(RejectReason reason, String detailPart, byte[] value, String... headers) {
        assertThatThrownBy(() -> decode(value, headers))
                .isInstanceOfSatisfying(FrameRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.detail()).contains(detailPart);
                    assertThat(e.source()).isEqualTo(TestImages.SOURCE);
                });
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FrameDecoderTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp"})
    void decodesLosslessImagesToTheirPixels(String format) throws Exception {
        BufferedImage drawing = TestImages.drawing(40, 30);

        RgbImage image = decode(TestImages.encode(drawing, format));

        assertThat(image.size()).isEqualTo(new Dimensions(40, 30));
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                assertThat(image.rgbAt(x, y)).as("pixel %d,%d", x, y).isEqualTo(drawing.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void decodesARealJpegPhotograph() throws Exception {
        RgbImage image = decode(resource("chelsea.jpg"), "content-type", "image/jpeg");

        assertThat(image.size()).isEqualTo(new Dimensions(451, 300));
        assertThat(image.pixelStride()).isEqualTo(3);
    }

    @Test
    void viewsGrayImagesWithoutConversion() throws Exception {
        byte[] png = resource("coins_gray.png");
        BufferedImage reference = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));

        RgbImage image = decode(png);

        assertThat(image.pixelStride()).isEqualTo(1);
        int sample = reference.getRaster().getSample(100, 50, 0);
        assertThat(image.rgbAt(100, 50)).isEqualTo(sample << 16 | sample << 8 | sample);
    }

    @Test
    void dropsAlpha() throws Exception {
        BufferedImage translucent = new BufferedImage(4, 4, BufferedImage.TYPE_4BYTE_ABGR);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                translucent.getRaster().setPixel(x, y, new int[] {200, 100, 50, 77});
            }
        }

        RgbImage image = decode(TestImages.encode(translucent, "png"));

        assertThat(image.rgbAt(2, 2)).isEqualTo(0xC86432);
    }

    @Test
    void convertsPaletteImages() throws Exception {
        BufferedImage indexed = TestImages.solid(4, 4, BufferedImage.TYPE_BYTE_INDEXED, new Color(255, 0, 0));

        RgbImage image = decode(TestImages.encode(indexed, "png"));

        assertThat(image.rgbAt(3, 3)).isEqualTo(indexed.getRGB(3, 3) & 0xFFFFFF);
    }

    @Test
    void keepsTheHighByteOfSixteenBitSamples() throws Exception {
        BufferedImage deep = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = deep.getRaster();
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                raster.setSample(x, y, 0, 0xAB12);
            }
        }

        RgbImage image = decode(TestImages.encode(deep, "png"));

        assertThat(image.rgbAt(1, 1)).isEqualTo(0xABABAB);
    }

    @Test
    void decodesRawRgb() throws Exception {
        byte[] rgb = {1, 2, 3, 4, 5, 6};

        RgbImage image = decode(rgb, "content-type", "rgb8", "width", "2", "height", "1");

        assertThat(image.rgbAt(0, 0)).isEqualTo(0x010203);
        assertThat(image.rgbAt(1, 0)).isEqualTo(0x040506);
    }

    @Test
    void rejectsRawRgbOfTheWrongLength() {
        assertRejected(RejectReason.CORRUPT, "needs 12 bytes", new byte[11], "content-type", "rgb8", "width", "2",
                "height", "2");
    }

    @Test
    void rejectsRawRgbOverThePixelLimitBeforeLookingAtTheBytes() {
        assertRejected(RejectReason.TOO_MANY_PIXELS, "strata.frame.max-pixels", new byte[3], "content-type", "rgb8",
                "width", "10000", "height", "10000");
    }

    @Test
    void rejectsADecompressionBombFromItsHeader() {
        byte[] bomb = TestImages.pngDeclaring(100_000, 100_000);

        assertRejected(RejectReason.TOO_MANY_PIXELS, "100000x100000 (10000000000 pixels)", bomb);
    }

    @Test
    void rejectsAnImageWithTooLongASide() {
        assertRejected(RejectReason.TOO_MANY_PIXELS, "16384 per side", TestImages.pngDeclaring(20_000, 2));
    }

    @Test
    void rejectsRandomBytesLabelledAsJpeg() {
        byte[] noise = new byte[2000];
        new Random(7).nextBytes(noise);
        noise[0] = 0;

        assertRejected(RejectReason.UNDECODABLE, "not a readable jpeg image", noise, "content-type", "image/jpeg");
    }

    @Test
    void namesTheRealFormatOfAMislabelledImage() {
        byte[] png = TestImages.encode(TestImages.drawing(8, 8), "png");

        assertRejected(RejectReason.UNDECODABLE, "the bytes look like image/png", png, "content-type", "image/jpeg");
    }

    @Test
    void rejectsATruncatedJpeg() {
        byte[] jpeg = TestImages.encode(TestImages.drawing(200, 150), "jpeg");

        assertRejected(RejectReason.CORRUPT, "truncated", Arrays.copyOf(jpeg, jpeg.length / 2));
    }

    @Test
    void rejectsATruncatedPng() {
        byte[] png = TestImages.encode(TestImages.drawing(200, 150), "png");

        assertRejected(RejectReason.CORRUPT, "200x150 png image cannot be decoded", Arrays.copyOf(png, png.length / 2));
    }

    @Test
    void rejectsAJpegCutInsideItsHeader() {
        byte[] jpeg = TestImages.encode(TestImages.drawing(200, 150), "jpeg");

        assertRejected(RejectReason.UNDECODABLE, "jpeg", Arrays.copyOf(jpeg, 20));
    }

    /** Whatever a damaged file makes ImageIO throw, only a rejection comes out. */
    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "bmp"})
    void mangledImagesNeverThrowAnythingButARejection(String format) throws Exception {
        byte[] valid = TestImages.encode(TestImages.drawing(48, 32), format);
        Random random = new Random(format.hashCode());
        int rejected = 0;
        for (int round = 0; round < 300; round++) {
            byte[] mangled = valid.clone();
            for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                mangled[random.nextInt(mangled.length)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                mangled = Arrays.copyOf(mangled, random.nextInt(mangled.length) + 1);
            }
            FrameEnvelope frame;
            try {
                frame = FrameEnvelope.parse(TestImages.utf8("cam"), mangled, headers("content-type", format),
                        TestImages.SOURCE, 0, TestImages.LIMITS);
            } catch (FrameRejectedException e) {
                continue;
            }
            Throwable thrown = catchThrowable(() -> decoder.decode(frame));
            assertThat(thrown).as("round %d", round).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(FrameRejectedException.class));
            rejected += thrown == null ? 0 : 1;
        }
        assertThat(rejected).as("mangling must break some of the images").isPositive();
    }

    @Test
    void everyEncodedTypeIsSniffedAndDecoded() throws Exception {
        for (String format : new String[] {"jpeg", "png", "bmp"}) {
            RgbImage image = decoder.decode(envelope(TestImages.encode(TestImages.drawing(16, 12), format),
                    new RecordHeaders()));
            assertThat(image.size()).as(format).isEqualTo(new Dimensions(16, 12));
        }
    }
}
