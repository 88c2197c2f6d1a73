package dev.strata.processor.inference.gpu;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** The few things the GPU engines need to know about, or change in, an ONNX graph. */
public final class OnnxGraphs {

    private OnnxGraphs() {
    }

    public static ModelProto read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ONNX model " + file, e);
        }
    }

    public static void write(ModelProto model, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The graph's operator types, e.g. {@code Conv}, {@code LayerNormalization}. */
    public static Set<String> opTypes(ModelProto model) {
        Set<String> ops = new TreeSet<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            ops.add(node.getOpType());
        }
        return ops;
    }

    /**
     * The same model with its NCHW image input fixed to {@code batch x 3 x size x size} and the
     * batch dimension of every output fixed to {@code batch}: an engine that cannot take dynamic
     * shapes (DJL's TensorRT engine builds no optimisation profile) needs them all known.
     */
    public static ModelProto withStaticBatch(ModelProto model, String input, int batch, int size) {
        ModelProto.Builder builder = model.toBuilder();
        boolean found = false;
        for (ValueInfoProto.Builder value : builder.getGraphBuilder().getInputBuilderList()) {
            if (value.getName().equals(input)) {
                TensorShapeProto.Builder shape = value.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
                if (shape.getDimCount() != 4) {
                    throw new IllegalArgumentException("input " + input + " has rank " + shape.getDimCount()
                            + ", expected an NCHW image");
                }
                long[] dims = {batch, 3, size, size};
                for (int i = 0; i < 4; i++) {
                    shape.getDimBuilder(i).clear().setDimValue(dims[i]);
                }
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("the model has no input named " + input);
        }
        for (ValueInfoProto.Builder value : builder.getGraphBuilder().getOutputBuilderList()) {
            TensorShapeProto.Builder shape = value.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
            if (shape.getDimCount() > 0) {
                shape.getDimBuilder(0).clear().setDimValue(batch);
            }
        }
        return builder.build();
    }
}
