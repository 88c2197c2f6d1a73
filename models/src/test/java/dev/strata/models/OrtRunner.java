package dev.strata.models;

import ai.djl.Model;
import ai.djl.ModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.strata.models.onnx.Shape;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs an ONNX model with DJL's ONNX Runtime engine. The engine's NDArrays support creation from
 * buffers but not math, so inputs and outputs cross as Java arrays.
 */
public final class OrtRunner {

    /** A dense float tensor on the Java side. */
    public record Values(Shape shape, float[] data) {

        public float maxAbs() {
            float max = 0;
            for (float v : data) {
                max = Math.max(max, Math.abs(v));
            }
            return max;
        }

        /** An NCHW image of uniform values in [-1, 1), the same for the same size. */
        public static Values randomImage(int batch, int height, int width) {
            Shape shape = Shape.of(batch, 3, height, width);
            float[] data = new float[(int) shape.elementCount()];
            SplittableRandom random = new SplittableRandom(batch * 31L + height);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextDouble() * 2 - 1);
            }
            return new Values(shape, data);
        }

        public boolean allFinite() {
            for (float v : data) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    private OrtRunner() {
    }

    /** Runs the single-input model stored in {@code modelFile}; outputs by name, in graph order. */
    public static Map<String, Values> run(Path modelFile, Values input) throws IOException {
        try (Model model = Model.newInstance("strata-test", "OnnxRuntime")) {
            model.load(modelFile);
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                 NDManager manager = model.getNDManager().newSubManager()) {
                NDArray array = manager.create(FloatBuffer.wrap(input.data()),
                        new ai.djl.ndarray.types.Shape(input.shape().toLongArray()));
                array.setName(ModelExporter.INPUT);
                Map<String, Values> outputs = new LinkedHashMap<>();
                for (NDArray out : predictor.predict(new NDList(array))) {
                    long[] dims = out.getShape().getShape();
                    outputs.put(out.getName(), new Values(
                            Shape.of(Arrays.stream(dims).mapToInt(Math::toIntExact).toArray()),
                            out.toFloatArray()));
                }
                return outputs;
            }
        } catch (ModelException | TranslateException e) {
            throw new IllegalStateException("ONNX Runtime could not run " + modelFile, e);
        }
    }

    /** Writes {@code model} to a temporary file under {@code dir} and runs it. */
    public static Map<String, Values> run(ExportedModel model, Path dir, Values input) throws IOException {
        return run(model.model(), dir, input);
    }

    /** Writes {@code model} to a temporary file under {@code dir} and runs it. */
    public static Map<String, Values> run(ModelProto model, Path dir, Values input) throws IOException {
        Path file = Files.createTempFile(dir, "model", ".onnx");
        Files.write(file, model.toByteArray());
        return run(file, input);
    }
}
