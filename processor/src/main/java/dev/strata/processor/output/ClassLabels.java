package dev.strata.processor.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Class names of a classifier, indexed like its logits. Either the bundled ImageNet-1k names or
 * a UTF-8 file with one name per line (line N+1 names class N); trailing blank lines are
 * ignored, blank lines elsewhere are an error.
 */
public final class ClassLabels {

    private static final String IMAGENET_RESOURCE = "imagenet1k_classes.txt";

    private final List<String> names;
    private final String origin;

    private ClassLabels(List<String> names, String origin) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException(origin + " has no class names");
        }
        this.names = List.copyOf(names);
        this.origin = origin;
    }

    /** The 1000 ImageNet-1k class names bundled with Strata. */
    public static ClassLabels imageNet1k() {
        return ImageNet.LABELS;
    }

    /** Reads a label file. */
    public static ClassLabels load(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, "label file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read label file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Labels given in code, e.g. for a model that declares its own. */
    public static ClassLabels of(List<String> names, String origin) {
        return new ClassLabels(names, origin);
    }

    public int size() {
        return names.size();
    }

    /** The name of class {@code index}. */
    public String name(int index) {
        return names.get(index);
    }

    /** Where the names came from, for messages: "bundled ImageNet-1k class names", "label file ...". */
    public String origin() {
        return origin;
    }

    /**
     * Checks the names against a model's output width.
     *
     * @throws IllegalArgumentException naming both counts when they differ
     */
    public ClassLabels requireClasses(int numClasses, String modelName) {
        if (numClasses != names.size()) {
            throw new IllegalArgumentException("model " + modelName + " has " + numClasses + " classes but the "
                    + origin + " has " + names.size() + " names; set strata.model.labels to a file with one name per class");
        }
        return this;
    }

    private static ClassLabels parse(BufferedReader reader, String origin) throws IOException {
        List<String> names = new ArrayList<>();
        int blankRun = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String name = line.strip();
            if (name.isEmpty()) {
                blankRun++;
                continue;
            }
            if (blankRun > 0) {
                throw new IllegalArgumentException(origin + ": line " + (names.size() + blankRun)
                        + " is blank; every class needs a name");
            }
            names.add(name);
        }
        return new ClassLabels(names, origin);
    }

    /** Loaded on first use and kept: every stream thread shares one copy. */
    private static final class ImageNet {
        static final ClassLabels LABELS = loadBundled();

        private static ClassLabels loadBundled() {
            try (InputStream in = Objects.requireNonNull(ClassLabels.class.getResourceAsStream(IMAGENET_RESOURCE),
                    IMAGENET_RESOURCE + " is missing from the classpath");
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return parse(reader, "bundled ImageNet-1k class names");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
