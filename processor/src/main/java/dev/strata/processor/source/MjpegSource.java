package dev.strata.processor.source;

import dev.strata.processor.frame.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JPEG images of an MJPEG file, or of standard input ({@code -}), in stream order. */
public final class MjpegSource implements ImageSource {

    /** The name that selects standard input. */
    public static final String STDIN = "-";

    private static final Logger log = LoggerFactory.getLogger(MjpegSource.class);

    private final String name;
    private final Path file;
    private final boolean loop;
    private final int maxFrameBytes;
    private InputStream in;
    private MjpegSplitter splitter;
    private long framesThisPass;

    private MjpegSource(String name, Path file, InputStream in, boolean loop, int maxFrameBytes) {
        this.name = name;
        this.file = file;
        this.in = in;
        this.loop = loop;
        this.maxFrameBytes = maxFrameBytes;
        this.splitter = new MjpegSplitter(in, maxFrameBytes);
    }

    /**
     * @param fileOrDash    a file, or {@value #STDIN} for standard input
     * @param loop          start the file again at its end; not possible for standard input
     * @param maxFrameBytes the largest image accepted
     */
    public static MjpegSource open(String fileOrDash, boolean loop, int maxFrameBytes) throws IOException {
        if (STDIN.equals(fileOrDash)) {
            if (loop) {
                throw new IllegalArgumentException("standard input cannot be looped; drop --loop or name a file");
            }
            return new MjpegSource("standard input", null, System.in, false, maxFrameBytes);
        }
        Path file = Path.of(fileOrDash);
        return new MjpegSource(file.toString(), file, Files.newInputStream(file), loop, maxFrameBytes);
    }

    @Override
    public Optional<EncodedFrame> next() throws IOException {
        while (true) {
            Optional<byte[]> image = splitter.next();
            if (image.isPresent()) {
                framesThisPass++;
                return Optional.of(new EncodedFrame(image.get(), ContentType.JPEG));
            }
            if (splitter.truncatedBytes() > 0) {
                log.warn("{} ends in the middle of a JPEG image: its last {} bytes were not sent", name,
                        splitter.truncatedBytes());
            }
            // A pass that found no image would loop for ever.
            if (!loop || framesThisPass == 0) {
                if (framesThisPass == 0 && splitter.skippedBytes() > 0) {
                    log.warn("{} holds no complete JPEG image ({} bytes skipped)", name, splitter.skippedBytes());
                }
                return Optional.empty();
            }
            in.close();
            in = Files.newInputStream(file);
            splitter = new MjpegSplitter(in, maxFrameBytes);
            framesThisPass = 0;
        }
    }

    @Override
    public String describe() {
        return "MJPEG " + name + (loop ? ", looping" : "");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
