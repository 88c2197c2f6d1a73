package dev.strata.models;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** An ONNX model ready to write, with the metadata it carries. */
public record ExportedModel(ModelProto model, ModelMetadata metadata) {

    public byte[] toByteArray() {
        return model.toByteArray();
    }

    public void writeTo(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }
}
