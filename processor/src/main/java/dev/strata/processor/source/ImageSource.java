package dev.strata.processor.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the frames of one stream come from: synthetic scenes, a directory of images, one image
 * repeated, or an MJPEG stream. Used from one thread at a time.
 */
public interface ImageSource extends Closeable {

    /** The next frame, or empty once a finite source has no more. */
    Optional<EncodedFrame> next() throws IOException;

    /** What the frames come from, for progress and log lines. */
    String describe();

    @Override
    void close() throws IOException;
}
