package dev.strata.processor.frame;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.util.Arrays;
import java.util.Objects;

/**
 * A view of 8-bit RGB pixels stored interleaved in a byte array, in whatever layout the decoder
 * produced (RGB, BGR, ABGR, gray with the one sample used for all three channels), so that the
 * common image types are read without copying.
 *
 * <p>Sample (x, y, channel) is at {@code data[offset + y * rowStride + x * pixelStride + channelOffset]}.
 * Alpha, if the source had any, is ignored, as {@code PIL.Image.convert("RGB")} does.
 */
public record RgbImage(byte[] data, int width, int height, int offset, int pixelStride, int rowStride,
                       int redOffset, int greenOffset, int blueOffset) {

    public RgbImage {
        Objects.requireNonNull(data, "data");
        if (width <= 0 || height <= 0 || pixelStride <= 0 || rowStride < (long) (width - 1) * pixelStride + 1
                || offset < 0 || Math.min(redOffset, Math.min(greenOffset, blueOffset)) < 0
                || Math.max(redOffset, Math.max(greenOffset, blueOffset)) >= pixelStride) {
            throw new IllegalArgumentException("invalid pixel layout: " + width + "x" + height + ", offset "
                    + offset + ", pixel stride " + pixelStride + ", row stride " + rowStride);
        }
        long last = offset + (long) (height - 1) * rowStride + (long) (width - 1) * pixelStride
                + Math.max(redOffset, Math.max(greenOffset, blueOffset));
        if (last >= data.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs more than the "
                    + data.length + " bytes given");
        }
    }

    /** Packed RGB: three bytes per pixel, rows without padding (the rgb8 frame layout). */
    public static RgbImage packed(byte[] rgb, int width, int height) {
        return new RgbImage(rgb, width, height, 0, 3, width * 3, 0, 1, 2);
    }

    /**
     * Views a decoded image: without a copy for 8-bit gray, RGB, BGR and (A)BGR/RGBA layouts;
     * other types (palettes, packed ints, 16-bit samples) are converted once to packed RGB.
     */
    public static RgbImage of(BufferedImage image) {
        RgbImage view = byteComponentView(image);
        return view != null ? view : convert(image);
    }

    /** The pixel at (x, y) as {@code 0xRRGGBB}. */
    public int rgbAt(int x, int y) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        int p = offset + y * rowStride + x * pixelStride;
        return (data[p + redOffset] & 0xFF) << 16 | (data[p + greenOffset] & 0xFF) << 8 | data[p + blueOffset] & 0xFF;
    }

    public Dimensions size() {
        return new Dimensions(width, height);
    }

    private static RgbImage byteComponentView(BufferedImage image) {
        Raster raster = image.getRaster();
        if (!(raster.getSampleModel() instanceof ComponentSampleModel sm)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || !(image.getColorModel() instanceof ComponentColorModel)
                || buffer.getNumBanks() != 1
                || Arrays.stream(sm.getBankIndices()).anyMatch(bank -> bank != 0)) {
            return null;
        }
        int[] band = sm.getBandOffsets();
        int colourBands = colourBands(image);
        if (colourBands == 0) {
            return null;
        }
        // A child raster's origin is shifted; ImageIO's images have none, but the cost of honouring it is nil.
        int offset = buffer.getOffset() - raster.getSampleModelTranslateY() * sm.getScanlineStride()
                - raster.getSampleModelTranslateX() * sm.getPixelStride();
        return colourBands == 1
                ? new RgbImage(buffer.getData(), image.getWidth(), image.getHeight(), offset, sm.getPixelStride(),
                        sm.getScanlineStride(), band[0], band[0], band[0])
                : new RgbImage(buffer.getData(), image.getWidth(), image.getHeight(), offset, sm.getPixelStride(),
                        sm.getScanlineStride(), band[0], band[1], band[2]);
    }

    /** 1 for gray (with or without alpha), 3 for RGB(A), 0 for anything else. */
    private static int colourBands(BufferedImage image) {
        int bands = image.getSampleModel().getNumBands();
        int type = image.getColorModel().getColorSpace().getType();
        if (type == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2)) {
            return 1;
        }
        if (type == ColorSpace.TYPE_RGB && (bands == 3 || bands == 4)) {
            return 3;
        }
        return 0;
    }

    private static RgbImage convert(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        Raster raster = image.getRaster();
        int colourBands = colourBands(image);
        if (raster.getDataBuffer() instanceof DataBufferUShort && colourBands != 0
                && image.getColorModel() instanceof ComponentColorModel) {
            // 16-bit samples: keep the high byte. getRGB would run gray through a colour-space
            // conversion and brighten it.
            int[] samples = new int[w * raster.getNumBands()];
            int bands = raster.getNumBands();
            for (int y = 0, p = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, samples);
                for (int x = 0; x < w; x++) {
                    int s = x * bands;
                    for (int c = 0; c < 3; c++) {
                        rgb[p++] = (byte) (samples[s + (colourBands == 1 ? 0 : c)] >>> 8);
                    }
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0, p = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    rgb[p++] = (byte) (argb >>> 16);
                    rgb[p++] = (byte) (argb >>> 8);
                    rgb[p++] = (byte) argb;
                }
            }
        }
        return packed(rgb, w, h);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + ", pixel stride " + pixelStride + "]";
    }
}
