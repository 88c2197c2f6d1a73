package dev.strata.processor.testing;

import dev.strata.processor.frame.RejectReason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Hostile frame records for fuzzing the processor, drawn from one seed so that a failure
 * reproduces: bit flips, byte overwrites, slice edits and truncations of real JPEG, PNG and BMP
 * encodings (synthetic drawings in several codec modes and the photographs under
 * {@code src/test/resources/images}), random bytes, decompression bombs, raw rgb8 of the wrong
 * length, malformed headers, and missing or broken keys and values.
 *
 * <p>Every case says what may become of it, so a test can check each frame's fate, not only that
 * nothing crashed.
 */
public final class FrameFuzzer {

    /** Reasons a damaged image may legitimately be rejected with. */
    private static final Set<RejectReason> DAMAGE = EnumSet.of(RejectReason.UNDECODABLE, RejectReason.CORRUPT,
            RejectReason.TOO_MANY_PIXELS, RejectReason.UNSUPPORTED_TYPE);

    /** What a frame may become: labelled (if allowed) or dead-lettered with one of the reasons. */
    public record Expect(boolean mayBeLabelled, Set<RejectReason> reasons) {

        static Expect labelled() {
            return new Expect(true, Set.of());
        }

        static Expect rejected(RejectReason first, RejectReason... more) {
            return new Expect(false, EnumSet.of(first, more));
        }

        static Expect labelledOr(Set<RejectReason> reasons) {
            return new Expect(true, reasons);
        }

        public boolean admitsLabel() {
            return mayBeLabelled;
        }

        public boolean admits(RejectReason reason) {
            return reasons.contains(reason);
        }
    }

    /**
     * One fuzzed record.
     *
     * @param kind   what sort of damage, for tallies (e.g. "mutated png")
     * @param detail exactly what was done, for failure messages
     */
    public record Case(String kind, String detail, byte[] key, byte[] value, Headers headers, Expect expect) {

        @Override
        public String toString() {
            return kind + ": " + detail + " (key " + (key == null ? "null" : key.length + " B") + ", value "
                    + (value == null ? "null" : value.length + " B") + ", headers " + Arrays.toString(
                    headers.toArray()) + ")";
        }
    }

    /** An encoded image to mutate, with the content-type header that names it. */
    private record Seed(String name, byte[] bytes, String contentType) {
    }

    private final Random random;
    private final int maxBytes;
    private final List<Seed> seeds;
    private final List<Seed> bombs;

    /**
     * @param seed     the seed of every random choice
     * @param maxBytes the processor's strata.frame.max-bytes, to make frames just over it
     */
    public FrameFuzzer(long seed, int maxBytes) {
        this.random = new Random(seed);
        this.maxBytes = maxBytes;
        this.seeds = seeds();
        this.bombs = bombs();
    }

    /** The next case; the sequence depends only on the seed. */
    public Case next() {
        int roll = random.nextInt(100);
        if (roll < 45) {
            return mutated();
        } else if (roll < 55) {
            return truncated();
        } else if (roll < 63) {
            return randomBytes();
        } else if (roll < 70) {
            return bomb();
        } else if (roll < 76) {
            return raw();
        } else if (roll < 86) {
            return badHeader();
        } else if (roll < 92) {
            return badKeyOrValue();
        } else if (roll < 93) {
            return tooLarge();
        } else if (roll < 94) {
            return pick(oversized(maxBytes));
        }
        return valid();
    }

    public List<Case> cases(int n) {
        List<Case> cases = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cases.add(next());
        }
        return cases;
    }

    private Case valid() {
        Seed seed = pick(seeds);
        return new Case("valid " + seed.name, "unchanged", key(), seed.bytes, contentType(seed), Expect.labelled());
    }

    /** Bit flips, byte overwrites and slice edits, often aimed at the header where sizes live. */
    private Case mutated() {
        Seed seed = pick(seeds);
        byte[] bytes = seed.bytes.clone();
        String how;
        int op = random.nextInt(4);
        // Half the edits land in the first 128 bytes: dimensions, chunk lengths, markers, tables.
        int span = random.nextBoolean() ? Math.min(128, bytes.length) : bytes.length;
        if (op == 0) {
            int flips = 1 + random.nextInt(16);
            for (int i = 0; i < flips; i++) {
                bytes[random.nextInt(span)] ^= (byte) (1 << random.nextInt(8));
            }
            how = flips + " bit flips";
        } else if (op == 1) {
            int edits = 1 + random.nextInt(8);
            byte[] extremes = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1};
            for (int i = 0; i < edits; i++) {
                bytes[random.nextInt(span)] = random.nextBoolean() ? pick(extremes) : (byte) random.nextInt(256);
            }
            how = edits + " bytes overwritten";
        } else if (op == 2) {
            int from = random.nextInt(bytes.length);
            int length = 1 + random.nextInt(Math.min(512, bytes.length - from));
            byte[] out = new byte[bytes.length - length];
            System.arraycopy(bytes, 0, out, 0, from);
            System.arraycopy(bytes, from + length, out, from, bytes.length - from - length);
            bytes = out.length == 0 ? new byte[] {bytes[0]} : out;
            how = length + " bytes cut at " + from;
        } else {
            int at = random.nextInt(span);
            byte[] insert = new byte[1 + random.nextInt(64)];
            random.nextBytes(insert);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
            out.write(bytes, 0, at);
            out.writeBytes(insert);
            out.write(bytes, at, bytes.length - at);
            bytes = out.toByteArray();
            how = insert.length + " random bytes inserted at " + at;
        }
        return new Case("mutated " + seed.name, how, key(), bytes, contentType(seed),
                Expect.labelledOr(DAMAGE));
    }

    private Case truncated() {
        Seed seed = pick(seeds);
        int length = 1 + random.nextInt(seed.bytes.length - 1);
        return new Case("truncated " + seed.name, "to " + length + " bytes", key(), Arrays.copyOf(seed.bytes, length),
                contentType(seed), Expect.labelledOr(DAMAGE));
    }

    private Case randomBytes() {
        byte[] noise = new byte[1 + random.nextInt(random.nextBoolean() ? 64 : 8192)];
        random.nextBytes(noise);
        String[] types = {null, "image/jpeg", "image/png", "image/bmp"};
        String type = pick(types);
        byte[][] magic = {{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
            {'B', 'M'}};
        String how = "random bytes";
        if (random.nextBoolean()) {
            byte[] prefix = pick(magic);
            System.arraycopy(prefix, 0, noise, 0, Math.min(prefix.length, noise.length));
            how = "random bytes after a magic number";
        }
        Headers headers = type == null ? new RecordHeaders() : TestImages.headers("content-type", type);
        return new Case(how, noise.length + " B as " + type, key(), noise, headers,
                Expect.rejected(RejectReason.UNDECODABLE, RejectReason.CORRUPT, RejectReason.UNSUPPORTED_TYPE,
                        RejectReason.TOO_MANY_PIXELS));
    }

    /**
     * A header declaring far more pixels than the limits allow: pixels must never be decoded, so
     * the reason is never CORRUPT (which would mean decoding was tried) and never a label.
     */
    private Case bomb() {
        Seed bomb = pick(bombs);
        return new Case("decompression bomb", bomb.name, key(), bomb.bytes, new RecordHeaders(),
                Expect.rejected(RejectReason.TOO_MANY_PIXELS, RejectReason.UNDECODABLE));
    }

    private Case raw() {
        int width = 1 + random.nextInt(48);
        int height = 1 + random.nextInt(48);
        int exact = width * height * 3;
        int choice = random.nextInt(6);
        if (choice == 0) {
            byte[] pixels = new byte[exact];
            random.nextBytes(pixels);
            return new Case("rgb8", width + "x" + height, key(), pixels, rawHeaders(width, height),
                    Expect.labelled());
        } else if (choice == 1) {
            int[] huge = {100_000, 65_535, 40_000, 16_385};
            int w = pick(huge);
            int h = pick(huge);
            return new Case("rgb8 declaring a huge size", w + "x" + h, key(), new byte[exact], rawHeaders(w, h),
                    Expect.rejected(RejectReason.TOO_MANY_PIXELS));
        } else if (choice == 2) {
            Headers headers = TestImages.headers("content-type", "rgb8", "width", Integer.toString(width));
            return new Case("rgb8 without height", "width " + width, key(), new byte[exact], headers,
                    Expect.rejected(RejectReason.BAD_HEADER));
        } else if (choice == 3) {
            return new Case("rgb8 without size headers", exact + " B", key(), new byte[exact],
                    TestImages.headers("content-type", "application/x-rgb8"), Expect.rejected(RejectReason.BAD_HEADER));
        }
        int[] deltas = {-exact + 1, -3, -1, 1, 2, 3, width * 3, exact};
        int delta = pick(deltas);
        return new Case("rgb8 of the wrong length", width + "x" + height + " with " + (exact + delta) + " bytes", key(),
                new byte[exact + delta], rawHeaders(width, height), Expect.rejected(RejectReason.CORRUPT));
    }

    private Headers rawHeaders(int width, int height) {
        return TestImages.headers("content-type", pick(new String[] {"rgb8", "application/x-rgb8"}),
                "width", Integer.toString(width), "height", Integer.toString(height));
    }

    /** A valid image whose headers are wrong in type or content. */
    private Case badHeader() {
        Seed seed = pick(seeds);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", seed.contentType.getBytes(StandardCharsets.UTF_8));
        byte[] notUtf8 = {(byte) 0xC3, 0x28, (byte) 0xFF};
        byte[] binaryTs = ByteBuffer.allocate(8).putLong(1_732_527_000_123L).array();
        String kind;
        Expect expect = Expect.rejected(RejectReason.BAD_HEADER);
        switch (random.nextInt(14)) {
            case 0 -> {
                headers.add("capture-ts", notUtf8);
                kind = "capture-ts not UTF-8";
            }
            case 1 -> {
                headers.add("capture-ts", binaryTs);
                kind = "capture-ts as a binary long";
            }
            case 2 -> {
                String text = pick(new String[] {"yesterday", "-5", "1.7e12", "", "   ", "0x10", "12345678901234567890",
                    "١٢٣"});
                headers.add("capture-ts", text.getBytes(StandardCharsets.UTF_8));
                kind = "capture-ts '" + text + "'";
            }
            case 3 -> {
                headers.add("width", pick(new String[] {"abc", "-1", "0", "1e3"}).getBytes(StandardCharsets.UTF_8));
                headers.add("height", "10".getBytes(StandardCharsets.UTF_8));
                kind = "width not a positive decimal";
            }
            case 4 -> {
                headers.add("height", "10".getBytes(StandardCharsets.UTF_8));
                kind = "height without width";
            }
            case 5 -> {
                headers.remove("content-type");
                headers.add("content-type", notUtf8);
                kind = "content-type not UTF-8";
            }
            case 6 -> {
                headers.remove("content-type");
                String type = pick(new String[] {"image/gif", "text/plain", "image/webp", "", "video/mp4"});
                headers.add("content-type", type.getBytes(StandardCharsets.UTF_8));
                kind = "content-type '" + type + "'";
                expect = type.isEmpty() ? Expect.rejected(RejectReason.UNSUPPORTED_TYPE, RejectReason.BAD_HEADER)
                        : Expect.rejected(RejectReason.UNSUPPORTED_TYPE);
            }
            case 7 -> {
                headers.add("frame-id", new byte[0]);
                kind = "empty frame-id";
            }
            case 8 -> {
                headers.add("frame-id", notUtf8);
                kind = "frame-id not UTF-8";
            }
            case 9 -> {
                // A header whose value is null counts as absent.
                headers.add("capture-ts", null);
                headers.add("frame-id", null);
                kind = "headers with null values";
                expect = Expect.labelled();
            }
            case 10 -> {
                // Kafka's convention: the last of repeated headers wins.
                headers.add("capture-ts", "garbage".getBytes(StandardCharsets.UTF_8));
                headers.add("capture-ts", "1732527000123".getBytes(StandardCharsets.UTF_8));
                kind = "repeated capture-ts, the last valid";
                expect = Expect.labelled();
            }
            case 11 -> {
                headers.add("capture-ts", "1732527000123".getBytes(StandardCharsets.UTF_8));
                headers.add("capture-ts", "garbage".getBytes(StandardCharsets.UTF_8));
                kind = "repeated capture-ts, the last invalid";
            }
            case 12 -> {
                byte[] unknown = new byte[1 + random.nextInt(256)];
                random.nextBytes(unknown);
                headers.add("x-camera-blob", unknown);
                kind = "unknown binary header";
                expect = Expect.labelled();
            }
            default -> {
                headers.remove("content-type");
                headers.add("content-type", mislabel(seed.contentType).getBytes(StandardCharsets.UTF_8));
                kind = "content-type naming another format";
                expect = Expect.rejected(RejectReason.UNDECODABLE, RejectReason.CORRUPT);
            }
        }
        return new Case("bad header: " + kind, "on " + seed.name, key(), seed.bytes, headers, expect);
    }

    private static String mislabel(String contentType) {
        return switch (contentType) {
            case "image/jpeg" -> "image/png";
            case "image/png" -> "image/bmp";
            default -> "image/jpeg";
        };
    }

    private Case badKeyOrValue() {
        Seed seed = pick(seeds);
        return switch (random.nextInt(6)) {
            case 0 -> new Case("null key", "", null, seed.bytes, contentType(seed), Expect.rejected(RejectReason.BAD_KEY));
            case 1 -> new Case("empty key", "", new byte[0], seed.bytes, contentType(seed),
                    Expect.rejected(RejectReason.BAD_KEY));
            case 2 -> new Case("key not UTF-8", "", new byte[] {'c', (byte) 0xFE, (byte) 0xFF}, seed.bytes,
                    contentType(seed), Expect.rejected(RejectReason.BAD_KEY));
            case 3 -> new Case("null value", "", key(), null, contentType(seed), Expect.rejected(RejectReason.EMPTY));
            case 4 -> new Case("empty value", "", key(), new byte[0], contentType(seed),
                    Expect.rejected(RejectReason.EMPTY));
            default -> new Case("null key and null value", "", null, null, new RecordHeaders(),
                    Expect.rejected(RejectReason.BAD_KEY));
        };
    }

    private Case tooLarge() {
        byte[] value = new byte[maxBytes + 1 + random.nextInt(1024)];
        random.nextBytes(value);
        value[0] = (byte) 0xFF;
        value[1] = (byte) 0xD8;
        value[2] = (byte) 0xFF;
        return new Case("value over max-bytes", value.length + " B", key(), value, new RecordHeaders(),
                Expect.rejected(RejectReason.TOO_LARGE_BYTES));
    }

    /**
     * Frames whose key or headers are too large to be copied into output records: with
     * {@code requestLimit} the producer's max.request.size, the first two would not fit the
     * pending-frame changelog even though the value is under max-bytes.
     */
    public List<Case> oversized(int requestLimit) {
        byte[] jpeg = seeds.get(0).bytes;
        byte[] nearLimit = new byte[maxBytes - 16];
        random.nextBytes(nearLimit);
        System.arraycopy(jpeg, 0, nearLimit, 0, 16);
        byte[] blob = new byte[requestLimit];
        random.nextBytes(blob);
        RecordHeaders bigHeader = new RecordHeaders();
        bigHeader.add("content-type", "image/jpeg".getBytes(StandardCharsets.UTF_8));
        bigHeader.add("x-trace", blob);
        RecordHeaders manyHeaders = new RecordHeaders();
        for (int i = 0; i < 600; i++) {
            manyHeaders.add("x-tag-" + i, new byte[100]);
        }
        String longId = "f".repeat(40 * 1024);
        byte[] longKey = "k".repeat(40 * 1024).getBytes(StandardCharsets.UTF_8);
        return List.of(
                new Case("oversized headers", "a " + blob.length + " B header on a " + maxBytes + " B frame", key(),
                        nearLimit, bigHeader, Expect.rejected(RejectReason.BAD_HEADER)),
                new Case("oversized headers", "a " + blob.length + " B header on a small jpeg", key(), jpeg,
                        bigHeader, Expect.rejected(RejectReason.BAD_HEADER)),
                new Case("oversized headers", "600 headers of 100 B", key(), jpeg, manyHeaders,
                        Expect.rejected(RejectReason.BAD_HEADER)),
                new Case("oversized headers", "a 40 KiB frame-id", key(), jpeg,
                        TestImages.headers("frame-id", longId), Expect.rejected(RejectReason.BAD_HEADER)),
                new Case("oversized key", "40 KiB", longKey, jpeg, new RecordHeaders(),
                        Expect.rejected(RejectReason.BAD_KEY)));
    }

    private byte[] key() {
        return ("cam-" + random.nextInt(8)).getBytes(StandardCharsets.UTF_8);
    }

    /** The right content-type header, or none (then the type is sniffed). */
    private Headers contentType(Seed seed) {
        return random.nextInt(3) == 0 ? new RecordHeaders() : TestImages.headers("content-type", seed.contentType);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    private int pick(int[] items) {
        return items[random.nextInt(items.length)];
    }

    private byte pick(byte[] items) {
        return items[random.nextInt(items.length)];
    }

    // ---- seeds and bombs, the same for every fuzzer seed ----

    private static List<Seed> seeds() {
        BufferedImage drawing = TestImages.drawing(96, 64);
        List<Seed> seeds = new ArrayList<>();
        seeds.add(new Seed("jpeg", TestImages.encode(drawing, "jpeg"), "image/jpeg"));
        seeds.add(new Seed("progressive jpeg", progressive(drawing, "jpeg"), "image/jpeg"));
        seeds.add(new Seed("png", TestImages.encode(drawing, "png"), "image/png"));
        seeds.add(new Seed("interlaced png", progressive(drawing, "png"), "image/png"));
        seeds.add(new Seed("palette png", TestImages.encode(indexed(TestImages.drawing(40, 30)), "png"), "image/png"));
        seeds.add(new Seed("16-bit gray png", TestImages.encode(gray16(48, 32), "png"), "image/png"));
        seeds.add(new Seed("bmp", TestImages.encode(drawing, "bmp"), "image/bmp"));
        seeds.add(new Seed("8-bit bmp", TestImages.encode(indexed(drawing), "bmp"), "image/bmp"));
        seeds.add(new Seed("photo chelsea.jpg", resource("chelsea.jpg"), "image/jpeg"));
        seeds.add(new Seed("photo coins_gray.png", resource("coins_gray.png"), "image/png"));
        return List.copyOf(seeds);
    }

    private static BufferedImage gray16(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (x * 1361 + y * 977) & 0xFFFF);
            }
        }
        return image;
    }

    private static BufferedImage indexed(BufferedImage source) {
        BufferedImage image = new BufferedImage(source.getWidth(), source.getHeight(),
                BufferedImage.TYPE_BYTE_INDEXED);
        image.createGraphics().drawImage(source, 0, 0, null);
        return image;
    }

    /** Progressive JPEG or Adam7-interlaced PNG: the decoders' other code paths. */
    private static byte[] progressive(BufferedImage image, String format) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] resource(String name) {
        try (InputStream in = FrameFuzzer.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /images/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Seed> bombs() {
        List<Seed> bombs = new ArrayList<>();
        for (int side : new int[] {100_000, 65_535, 30_000}) {
            bombs.add(new Seed("png header " + side + "x" + side, TestImages.pngDeclaring(side, side), "image/png"));
        }
        bombs.add(new Seed("png header 2^31-1 x 1", TestImages.pngDeclaring(Integer.MAX_VALUE, 1), "image/png"));
        // A real one: 8000x8000 gray whose zero rows deflate to about 60 KiB.
        bombs.add(new Seed("deflated png 8000x8000", deflatedPng(8000, 8000), "image/png"));
        byte[] jpeg = TestImages.encode(TestImages.drawing(96, 64), "jpeg");
        bombs.add(new Seed("jpeg SOF 65500x65500", jpegDeclaring(jpeg, 65_500, 65_500), "image/jpeg"));
        bombs.add(new Seed("jpeg SOF 1x65535", jpegDeclaring(jpeg, 1, 65_535), "image/jpeg"));
        bombs.add(new Seed("bmp 100000x100000 24-bit", bmpDeclaring(100_000, 100_000, 24), "image/bmp"));
        bombs.add(new Seed("bmp 30000x-30000 8-bit", bmpDeclaring(30_000, -30_000, 8), "image/bmp"));
        bombs.add(new Seed("bmp 65536x65536 1-bit", bmpDeclaring(65_536, 65_536, 1), "image/bmp"));
        return List.copyOf(bombs);
    }

    /** A complete gray PNG of the given size whose pixel rows are all zero. */
    private static byte[] deflatedPng(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] row = new byte[width + 1];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat.toByteArray());
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

    /** A real baseline JPEG whose SOF0 marker is patched to declare another size. */
    private static byte[] jpegDeclaring(byte[] jpeg, int width, int height) {
        byte[] patched = jpeg.clone();
        for (int i = 2; i + 8 < patched.length; i++) {
            if ((patched[i] & 0xFF) == 0xFF && (patched[i + 1] & 0xFF) == 0xC0) {
                // FF C0, length (2), precision (1), height (2), width (2)
                patched[i + 5] = (byte) (height >> 8);
                patched[i + 6] = (byte) height;
                patched[i + 7] = (byte) (width >> 8);
                patched[i + 8] = (byte) width;
                return patched;
            }
        }
        throw new IllegalStateException("no SOF0 marker in the seed JPEG");
    }

    /** A BMP header (negative height: top-down rows) with a few bytes of pixels. */
    private static byte[] bmpDeclaring(int width, int height, int bitsPerPixel) {
        int palette = bitsPerPixel <= 8 ? 4 << bitsPerPixel : 0;
        int offset = 14 + 40 + palette;
        ByteBuffer b = ByteBuffer.allocate(offset + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(offset + 64).putInt(0).putInt(offset);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) bitsPerPixel)
                .putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }
}
