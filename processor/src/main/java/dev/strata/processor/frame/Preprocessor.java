package dev.strata.processor.frame;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * The standard ImageNet evaluation transform, as timm/torchvision apply it with Pillow:
 * resize the shorter side to {@code round(inputSize / 0.875)} (bilinear, antialiased),
 * center-crop {@code inputSize x inputSize}, scale to [0, 1] and normalise per channel with the
 * ImageNet mean (0.485, 0.456, 0.406) and standard deviation (0.229, 0.224, 0.225).
 *
 * <p>Output is float CHW (R plane, G plane, B plane), written straight into the caller's batch
 * buffer at an offset, so a batcher can fill one contiguous NCHW array without extra copies.
 * Thread-safe; each call allocates only scratch space for the crop window's source rows.
 */
public final class Preprocessor {

    /** Fraction of the resized image that the center crop keeps. */
    public static final double CROP_FRACTION = 0.875;

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final int inputSize;
    private final int resizeSize;
    /** normalised[c][v] for every 8-bit value v: the exact float32 arithmetic of ToTensor + Normalize. */
    private final float[][] normalised = new float[3][256];

    private Preprocessor(int inputSize) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive: " + inputSize);
        }
        this.inputSize = inputSize;
        this.resizeSize = (int) Math.round(inputSize / CROP_FRACTION);
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalised[c][v] = (v / 255f - MEAN[c]) / STD[c];
            }
        }
    }

    /** The transform for a model whose input is {@code inputSize x inputSize}. */
    public static Preprocessor imageNet(int inputSize) {
        return new Preprocessor(inputSize);
    }

    public int inputSize() {
        return inputSize;
    }

    /** The length the shorter side is resized to before cropping. */
    public int resizeSize() {
        return resizeSize;
    }

    /** Floats one frame occupies in a CHW buffer: {@code 3 x inputSize x inputSize}. */
    public int floatsPerFrame() {
        return 3 * inputSize * inputSize;
    }

    /**
     * The resized and cropped pixels, 8-bit RGB, identical to
     * {@code CenterCrop(inputSize)(Resize(resizeSize)(image))} on a Pillow image.
     */
    public RgbImage resizeAndCrop(RgbImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.width();
        int h = image.height();
        // torchvision: the shorter side becomes resizeSize, the longer int(resizeSize * long / short).
        int resizedW;
        int resizedH;
        if (w <= h) {
            resizedW = resizeSize;
            resizedH = (int) (resizeSize * (double) h / w);
        } else {
            resizedH = resizeSize;
            resizedW = (int) (resizeSize * (double) w / h);
        }
        // torchvision's center_crop rounds with Python's round(), i.e. half to even.
        int top = (int) Math.rint((resizedH - inputSize) / 2.0);
        int left = (int) Math.rint((resizedW - inputSize) / 2.0);
        Resample.Axis horizontal = Resample.Axis.of(w, resizedW, left, inputSize);
        Resample.Axis vertical = Resample.Axis.of(h, resizedH, top, inputSize);
        return RgbImage.packed(Resample.apply(image, horizontal, vertical), inputSize, inputSize);
    }

    /**
     * Writes the preprocessed frame as CHW floats into {@code dest[offset ..
     * offset + floatsPerFrame())}.
     */
    public void writeChw(RgbImage image, float[] dest, int offset) {
        Objects.checkFromIndexSize(offset, floatsPerFrame(), dest.length);
        byte[] rgb = resizeAndCrop(image).data();
        int plane = inputSize * inputSize;
        for (int c = 0; c < 3; c++) {
            float[] lut = normalised[c];
            for (int p = 0, o = offset + c * plane; p < plane; p++) {
                dest[o++] = lut[rgb[p * 3 + c] & 0xFF];
            }
        }
    }

    /**
     * Writes the preprocessed frame as CHW floats into {@code dest} at absolute index
     * {@code offset}; the buffer's position is not changed.
     */
    public void writeChw(RgbImage image, FloatBuffer dest, int offset) {
        Objects.checkFromIndexSize(offset, floatsPerFrame(), dest.limit());
        byte[] rgb = resizeAndCrop(image).data();
        float[] row = new float[inputSize];
        int plane = inputSize * inputSize;
        for (int c = 0; c < 3; c++) {
            float[] lut = normalised[c];
            for (int y = 0; y < inputSize; y++) {
                for (int x = 0, p = (y * inputSize) * 3 + c; x < inputSize; x++, p += 3) {
                    row[x] = lut[rgb[p] & 0xFF];
                }
                dest.put(offset + c * plane + y * inputSize, row);
            }
        }
    }
}
