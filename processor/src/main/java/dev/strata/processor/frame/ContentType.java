package dev.strata.processor.frame;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The kinds of frame value Strata accepts. */
public enum ContentType {
    JPEG("image/jpeg", "jpeg", Set.of("jpeg", "jpg", "image/jpg", "image/pjpeg")),
    PNG("image/png", "png", Set.of("png")),
    BMP("image/bmp", "bmp", Set.of("bmp", "image/x-bmp", "image/x-ms-bmp")),
    /** Raw 8-bit RGB, row-major, no padding: exactly width x height x 3 bytes. */
    RGB8("application/x-rgb8", null, Set.of("rgb8"));

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String mediaType;
    private final String imageIoFormat;
    private final Set<String> aliases;

    ContentType(String mediaType, String imageIoFormat, Set<String> aliases) {
        this.mediaType = mediaType;
        this.imageIoFormat = imageIoFormat;
        this.aliases = aliases;
    }

    /** The canonical media type, as written in outputs. */
    public String mediaType() {
        return mediaType;
    }

    /** Whether the value is raw pixels (dimensions come from headers) rather than an encoded image. */
    public boolean isRaw() {
        return this == RGB8;
    }

    /** ImageIO format name; {@code null} for raw pixels. */
    String imageIoFormat() {
        return imageIoFormat;
    }

    /**
     * Parses a {@code content-type} header value: case-insensitive, surrounding blanks and media
     * type parameters ({@code ; ...}) ignored.
     */
    public static Optional<ContentType> fromHeader(String value) {
        int semicolon = value.indexOf(';');
        String bare = (semicolon >= 0 ? value.substring(0, semicolon) : value).trim().toLowerCase(Locale.ROOT);
        for (ContentType type : values()) {
            if (type.mediaType.equals(bare) || type.aliases.contains(bare)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Recognises an encoded image by its magic bytes; raw pixels cannot be recognised. */
    public static Optional<ContentType> sniff(byte[] bytes) {
        if (startsWith(bytes, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, (byte) 'B', (byte) 'M')) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, byte... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
