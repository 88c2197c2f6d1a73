package dev.strata.processor.config;

import java.nio.file.Path;

/** Which model to run: a catalog architecture or an ONNX file. */
public sealed interface ModelSource {

    /** The name outputs report, e.g. {@code convmlp-s} or the file name without {@code .onnx}. */
    String name();

    /** A catalog model, built in-process from its architecture definition. */
    record Catalog(String arch) implements ModelSource {
        @Override
        public String name() {
            return arch;
        }
    }

    /** A user's ONNX model. */
    record OnnxFile(Path path) implements ModelSource {
        @Override
        public String name() {
            String file = path.getFileName().toString();
            return file.substring(0, file.length() - ".onnx".length());
        }
    }
}
