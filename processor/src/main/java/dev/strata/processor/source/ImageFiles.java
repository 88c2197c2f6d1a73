package dev.strata.processor.source;

import dev.strata.processor.frame.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Image files as frames: which files count as images and what type their bytes are. */
final class ImageFiles {

    private ImageFiles() {
    }

    /** The type a file's name promises: .jpg, .jpeg, .png or .bmp, in any case. */
    static Optional<ContentType> byExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        return ContentType.fromHeader(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                .filter(type -> !type.isRaw());
    }

    /**
     * Reads a whole image file. Its type is sniffed from the bytes, so a PNG named .jpg is still
     * sent as a PNG; bytes that match no format keep the type of the extension, and the processor
     * then dead-letters them as undecodable, which is what the user should see.
     */
    static EncodedFrame read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ContentType type = ContentType.sniff(bytes).or(() -> byExtension(file)).orElseThrow(() ->
                new IOException(file + " is neither a JPEG, PNG nor BMP image by its bytes or its name"));
        return new EncodedFrame(bytes, type);
    }
}
