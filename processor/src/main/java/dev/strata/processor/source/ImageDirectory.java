package dev.strata.processor.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JPEG, PNG and BMP files of one directory (not its subdirectories) in the order of their
 * names, once or looping. The listing is taken when the source is opened; each file is read
 * when its turn comes, so a large directory costs no memory up front.
 */
public final class ImageDirectory implements ImageSource {

    private final Path dir;
    private final List<Path> files;
    private final boolean loop;
    private int position;

    private ImageDirectory(Path dir, List<Path> files, boolean loop) {
        this.dir = dir;
        this.files = files;
        this.loop = loop;
    }

    /**
     * @throws IllegalArgumentException when {@code dir} is not a directory or holds no image file
     */
    public static ImageDirectory open(Path dir, boolean loop) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries
                    .filter(Files::isRegularFile)
                    .filter(file -> ImageFiles.byExtension(file).isPresent())
                    .sorted(Comparator.comparing(file -> file.getFileName().toString()))
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no .jpg, .jpeg, .png or .bmp file");
        }
        return new ImageDirectory(dir, files, loop);
    }

    @Override
    public Optional<EncodedFrame> next() throws IOException {
        if (position == files.size()) {
            if (!loop) {
                return Optional.empty();
            }
            position = 0;
        }
        return Optional.of(ImageFiles.read(files.get(position++)));
    }

    @Override
    public String describe() {
        return files.size() + " images in " + dir + (loop ? ", looping" : "");
    }

    @Override
    public void close() {
    }
}
