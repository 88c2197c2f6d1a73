package dev.strata.processor.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** One image file, read once and sent as every frame: a steady load of a known input. */
public final class RepeatedImage implements ImageSource {

    private final Path file;
    private final EncodedFrame frame;

    private RepeatedImage(Path file, EncodedFrame frame) {
        this.file = file;
        this.frame = frame;
    }

    public static RepeatedImage open(Path file) throws IOException {
        return new RepeatedImage(file, ImageFiles.read(file));
    }

    @Override
    public Optional<EncodedFrame> next() {
        return Optional.of(frame);
    }

    @Override
    public String describe() {
        return file + " (" + frame.contentType().mediaType() + ", " + frame.data().length + " bytes), repeated";
    }

    @Override
    public void close() {
    }
}
