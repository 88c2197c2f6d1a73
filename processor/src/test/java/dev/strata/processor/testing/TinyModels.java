package dev.strata.processor.testing;

import dev.strata.models.ExportedModel;
import dev.strata.models.ModelExporter;
import dev.strata.models.convmlp.ConvMlp;
import dev.strata.models.weights.SeededWeights;
import dev.strata.processor.inference.ModelInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A real but small backbone for tests that need an engine: ConvMLP with the fixture's tiny
 * configuration (about 60k parameters), seeded weights, exported to ONNX once per JVM.
 */
public final class TinyModels {

    public static final int NUM_CLASSES = 10;
    public static final int INPUT_SIZE = 64;

    private static final ConvMlp TINY_CONVMLP = new ConvMlp("tiny-convmlp",
            new ConvMlp.Config(List.of(1, 1, 1), List.of(16, 32, 48), List.of(2, 2, 2), 8, 1));

    private static Path exported;
    private static Path labels;
    private static ModelInfo info;

    private TinyModels() {
    }

    /** The exported ONNX file (a temp file deleted at JVM exit). */
    public static synchronized Path convMlpFile() {
        if (exported == null) {
            try {
                ExportedModel model = ModelExporter.export(TINY_CONVMLP, NUM_CLASSES, new SeededWeights(7));
                Path file = Files.createTempFile("tiny-convmlp", ".onnx");
                file.toFile().deleteOnExit();
                model.writeTo(file);
                exported = file;
                info = new ModelInfo(TINY_CONVMLP.name(), model.metadata().weights(), INPUT_SIZE, NUM_CLASSES,
                        model.metadata().stages());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return exported;
    }

    /** A class-name file for the tiny model's classes: class-0 .. class-9. */
    public static synchronized Path labelsFile() {
        if (labels == null) {
            try {
                labels = Files.createTempFile("tiny-labels", ".txt");
                labels.toFile().deleteOnExit();
                Files.write(labels, IntStream.range(0, NUM_CLASSES).mapToObj(i -> "class-" + i).toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return labels;
    }

    public static synchronized ModelInfo convMlpInfo() {
        convMlpFile();
        return info;
    }
}
