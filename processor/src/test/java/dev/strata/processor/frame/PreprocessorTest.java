package dev.strata.processor.frame;

import dev.strata.processor.testing.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreprocessorTest {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final Preprocessor preprocessor = Preprocessor.imageNet(224);

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static float normalised(int value, int channel) {
        return (value / 255f - MEAN[channel]) / STD[channel];
    }

    @Test
    void resizesTheShorterSideToInputOverCropFraction() {
        assertThat(preprocessor.resizeSize()).isEqualTo(256);
        assertThat(Preprocessor.imageNet(160).resizeSize()).isEqualTo(183);
        assertThat(preprocessor.floatsPerFrame()).isEqualTo(3 * 224 * 224);
    }

    @Test
    void aSolidColourGivesExactlyTheNormalisedValuePerChannel() {
        RgbImage solid = RgbImage.of(TestImages.solid(640, 480, BufferedImage.TYPE_3BYTE_BGR, new Color(255, 100, 0)));
        float[] chw = new float[preprocessor.floatsPerFrame()];

        preprocessor.writeChw(solid, chw, 0);

        int plane = 224 * 224;
        float[] expected = {normalised(255, 0), normalised(100, 1), normalised(0, 2)};
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                assertThat(chw[c * plane + p]).isEqualTo(expected[c]);
            }
        }
        // The same numbers worked out independently in double precision.
        assertThat(expected[0]).isCloseTo((float) ((1.0 - 0.485) / 0.229), within(1e-6f));
        assertThat(expected[1]).isCloseTo((float) ((100 / 255.0 - 0.456) / 0.224), within(1e-6f));
        assertThat(expected[2]).isCloseTo((float) (-0.406 / 0.225), within(1e-6f));
    }

    @Test
    void cropsTheCentreWhenNoResizeIsNeeded() {
        // 300x256: the shorter side is already 256, so each output pixel is one source pixel.
        // Red encodes x and green y; the crop starts at x = round((300 - 224) / 2) = 38, y = 16.
        byte[] rgb = new byte[300 * 256 * 3];
        for (int y = 0, p = 0; y < 256; y++) {
            for (int x = 0; x < 300; x++, p += 3) {
                rgb[p] = (byte) x;
                rgb[p + 1] = (byte) y;
            }
        }

        RgbImage crop = preprocessor.resizeAndCrop(RgbImage.packed(rgb, 300, 256));

        assertThat(crop.size()).isEqualTo(new Dimensions(224, 224));
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                assertThat(crop.rgbAt(x, y)).isEqualTo(((38 + x) & 0xFF) << 16 | (16 + y) << 8);
            }
        }
    }

    @Test
    void writesChannelPlanesInRgbOrder() {
        RgbImage pattern = TestImages.pattern(256, 256);
        RgbImage crop = preprocessor.resizeAndCrop(pattern);
        float[] chw = new float[preprocessor.floatsPerFrame()];

        preprocessor.writeChw(pattern, chw, 0);

        int plane = 224 * 224;
        for (int y = 0; y < 224; y += 37) {
            for (int x = 0; x < 224; x += 29) {
                int rgb = crop.rgbAt(x, y);
                assertThat(chw[y * 224 + x]).isEqualTo(normalised(rgb >>> 16, 0));
                assertThat(chw[plane + y * 224 + x]).isEqualTo(normalised(rgb >>> 8 & 0xFF, 1));
                assertThat(chw[2 * plane + y * 224 + x]).isEqualTo(normalised(rgb & 0xFF, 2));
            }
        }
    }

    /**
     * Bit-for-bit the same pixels as torchvision's Resize + CenterCrop on a Pillow image; the
     * digests come from fixtures/pillow_preprocess.py.
     */
    @ParameterizedTest
    @CsvSource({
            "700, 480, 2b38d8612db83f643a8304308faa5263070ee00387ac5f515e97750469ca3302",
            "1200, 2000, 9eea87f2973479f51228b6e7596f2937697ad05767f119488bbbece9350b5adc",
            "100, 80, 8eceda0bd860f08dc51a2c0cda3b0d3bf793711298c77d14515d5525b78db68f",
            "256, 256, 7f150c2b3d59c02b3b69db96d3cdd136cf7cc3145ef6d6f36324f5deaa5bd559"})
    void matchesPillowOnSyntheticImages(int width, int height, String digest) {
        RgbImage crop = preprocessor.resizeAndCrop(TestImages.pattern(width, height));

        assertThat(sha256(crop.data())).isEqualTo(digest);
    }

    @Test
    void matchesPillowOnARealGrayPhotograph() throws IOException {
        BufferedImage coins;
        try (InputStream in = getClass().getResourceAsStream("/images/coins_gray.png")) {
            coins = ImageIO.read(in);
        }
        RgbImage gray = RgbImage.of(coins);

        assertThat(sha256(preprocessor.resizeAndCrop(gray).data()))
                .isEqualTo("b90c7029e206356c262109204ab423f0892097a101352162e3ce5f06caee4584");
        assertThat(sha256(Preprocessor.imageNet(160).resizeAndCrop(gray).data()))
                .isEqualTo("da16b3ea3dee975f626db315c965a985424f9c61e998baecdae3bd39bf3c6773");
    }

    @Test
    void writesAtAnOffsetAndNowhereElse() {
        RgbImage image = TestImages.pattern(300, 200);
        int n = preprocessor.floatsPerFrame();
        float[] single = new float[n];
        preprocessor.writeChw(image, single, 0);
        float[] batch = new float[3 * n];
        Arrays.fill(batch, Float.NaN);

        preprocessor.writeChw(image, batch, n);

        float[] untouched = new float[n];
        Arrays.fill(untouched, Float.NaN);
        assertThat(Arrays.copyOfRange(batch, n, 2 * n)).isEqualTo(single);
        assertThat(Arrays.copyOfRange(batch, 0, n)).isEqualTo(untouched);
        assertThat(Arrays.copyOfRange(batch, 2 * n, 3 * n)).isEqualTo(untouched);
    }

    @Test
    void writesAFloatBufferLikeAnArray() {
        RgbImage image = TestImages.pattern(320, 240);
        int n = preprocessor.floatsPerFrame();
        float[] expected = new float[n];
        preprocessor.writeChw(image, expected, 0);
        FloatBuffer buffer = FloatBuffer.allocate(2 * n);

        preprocessor.writeChw(image, buffer, n);

        assertThat(buffer.position()).isZero();
        float[] written = new float[n];
        buffer.get(n, written);
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void refusesADestinationTooSmall() {
        RgbImage image = TestImages.pattern(10, 10);
        int n = preprocessor.floatsPerFrame();

        assertThatThrownBy(() -> preprocessor.writeChw(image, new float[2 * n], n + 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> preprocessor.writeChw(image, FloatBuffer.allocate(n - 1), 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void handlesExtremeAspectRatiosWithoutResizingTheWholeImage() {
        // A 1x4000 strip would be 256x1024000 after the resize; only the crop is ever computed.
        byte[] strip = new byte[4000 * 3];
        Arrays.fill(strip, (byte) 77);

        RgbImage crop = preprocessor.resizeAndCrop(RgbImage.packed(strip, 1, 4000));

        assertThat(crop.data()).containsOnly((byte) 77);
    }

    @Test
    void readsStridedLayoutsInPlace() {
        // The same pixels as packed RGB and as BGR with a padding byte per pixel and per row.
        RgbImage packed = TestImages.pattern(40, 30);
        byte[] padded = new byte[30 * (40 * 4 + 5)];
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int rgb = packed.rgbAt(x, y);
                int p = y * (40 * 4 + 5) + x * 4;
                padded[p] = (byte) rgb;
                padded[p + 1] = (byte) (rgb >>> 8);
                padded[p + 2] = (byte) (rgb >>> 16);
            }
        }
        RgbImage bgrx = new RgbImage(padded, 40, 30, 0, 4, 40 * 4 + 5, 2, 1, 0);

        assertThat(preprocessor.resizeAndCrop(bgrx).data()).isEqualTo(preprocessor.resizeAndCrop(packed).data());
    }
}
