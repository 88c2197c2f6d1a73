package dev.strata.processor.inference;

import dev.strata.models.StageInfo;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtNDArray;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A backbone served by a DJL engine through a {@link Predictor}. Every batch runs inside its own
 * {@link NDManager} scope, so no native memory outlives the call.
 */
public final class DjlBackbone implements Backbone {

    static {
        DjlDefaults.apply();
    }

    /** The image input every exported backbone takes, NCHW float32. */
    public static final String INPUT_NAME = "input";
    private static final String LOGITS_NAME = "logits";
    static final String DJL_TENSORRT = "TensorRT";

    /**
     * How to reach an engine through DJL, and how to label it.
     *
     * @param djlEngine DJL engine name, e.g. {@code OnnxRuntime} or {@code TensorRT}
     * @param djlDevice the device DJL's arrays live on
     * @param options   passed to DJL's {@code Model.load}; values may be objects, e.g. ONNX Runtime's
     *                  {@code sessionOptions}
     * @param engine    engine label for metrics and logs, e.g. {@code onnxruntime-tensorrt}
     * @param device    device label in {@code strata.model.device} spelling, e.g. {@code gpu:0}
     */
    public record Target(String djlEngine, Device djlDevice, Map<String, ?> options, String engine, String device) {
        public Target {
            options = Map.copyOf(options);
        }
    }

    private final ModelInfo info;
    private final Target target;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    /** Zero-padded rows for an engine built for a fixed batch larger than the batch at hand. */
    private FloatBuffer paddedInput;
    private float[] zeros;

    private DjlBackbone(ModelInfo info, Target target, Model model) {
        this.info = info;
        this.target = target;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /**
     * Loads an ONNX graph with a DJL engine, labelled by the engine's own name in lower case and the
     * device in {@code strata.model.device} spelling.
     *
     * @param djlEngine DJL engine name, e.g. {@code OnnxRuntime} or {@code TensorRT}
     * @param options engine options passed to DJL's {@code Model.load}
     */
    public static DjlBackbone load(
            Path modelFile, ModelInfo info, String djlEngine, Device djlDevice, Map<String, String> options) {
        String device = djlDevice.isGpu() ? "gpu:" + djlDevice.getDeviceId() : "cpu";
        return load(modelFile, info, new Target(djlEngine, djlDevice, options, djlEngine.toLowerCase(Locale.ROOT),
                device));
    }

    /** Loads an ONNX graph (or, for TensorRT, a serialised engine) as {@code target} says. */
    public static DjlBackbone load(Path modelFile, ModelInfo info, Target target) {
        Model model;
        try {
            model = Model.newInstance(info.name(), target.djlDevice(), target.djlEngine());
        } catch (RuntimeException | LinkageError e) {
            throw new ModelLoadException("engine " + target.djlEngine() + " is not available: " + e.getMessage(), e);
        }
        try {
            model.load(modelFile, null, target.options());
            return new DjlBackbone(info, target, model);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new ModelLoadException("engine " + target.djlEngine() + " could not load " + modelFile + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Loads an ONNX graph on ONNX Runtime on the CPU, with session configuration entries (e.g.
     * {@code session.intra_op.allow_spinning}) that DJL's string options cannot carry: DJL takes a
     * session options object instead.
     *
     * @param options       DJL's ONNX Runtime options, e.g. {@code intraOpNumThreads}
     * @param sessionConfig ONNX Runtime session configuration entries
     */
    public static DjlBackbone loadOnnxRuntime(Path modelFile, ModelInfo info, Map<String, String> options,
                                              Map<String, String> sessionConfig) {
        // ONNX Runtime copies the options into the session it creates: they can be closed at once.
        try (OrtSession.SessionOptions session = new OrtSession.SessionOptions()) {
            for (Map.Entry<String, String> entry : sessionConfig.entrySet()) {
                session.addConfigEntry(entry.getKey(), entry.getValue());
            }
            Map<String, Object> all = new HashMap<>(options);
            all.put("sessionOptions", session);
            return load(modelFile, info, new Target("OnnxRuntime", Device.cpu(), all, "onnxruntime", "cpu"));
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime rejected the session configuration " + sessionConfig + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public String engine() {
        return target.engine();
    }

    @Override
    public String device() {
        return target.device();
    }

    @Override
    public BatchOutput infer(FloatBuffer input, int batchSize, Set<Integer> stages) {
        return run(input, batchSize, batchSize, stages);
    }

    /**
     * Runs {@code rows} rows through the engine, the first {@code frames} of them from
     * {@code input}, the rest zeros (padding for an engine built for a fixed batch), and returns the
     * outputs of the {@code frames} frames.
     */
    BatchOutput run(FloatBuffer input, int rows, int frames, Set<Integer> stages) {
        int frameFloats = info.frameFloats();
        FloatBuffer batch = input.duplicate().position(0).limit(frames * frameFloats).slice();
        if (rows != frames) {
            if (paddedInput == null || paddedInput.capacity() < rows * frameFloats) {
                paddedInput = ByteBuffer.allocateDirect(rows * frameFloats * Float.BYTES)
                        .order(ByteOrder.nativeOrder()).asFloatBuffer();
                zeros = new float[rows * frameFloats];
            }
            paddedInput.clear();
            paddedInput.put(batch).put(zeros, 0, (rows - frames) * frameFloats);
            batch = paddedInput.flip();
        }
        try (NDManager batchScope = model.getNDManager().newSubManager()) {
            NDArray x = batchScope.create(batch,
                    new Shape(rows, ModelInfo.CHANNELS, info.inputSize(), info.inputSize()));
            x.setName(INPUT_NAME);
            NDList outputs = predictor.predict(new NDList(x));
            try {
                return copyOut(outputs, frames, stages);
            } finally {
                // DJL's TensorRT session hands back the same output bindings on every call and
                // frees them itself; every other engine returns fresh arrays per batch.
                if (!DJL_TENSORRT.equals(target.djlEngine())) {
                    outputs.close();
                }
            }
        } catch (TranslateException e) {
            throw new InferenceException(
                    "inference of a batch of " + rows + " failed on " + engine() + "/" + device(), e);
        }
    }

    private BatchOutput copyOut(NDList outputs, int frames, Set<Integer> wanted) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray array : outputs) {
            byName.put(array.getName(), array);
        }
        float[] logits = firstFrames(require(byName, LOGITS_NAME), frames);
        List<Optional<StageOutput>> stages = new ArrayList<>(info.stages().size());
        for (int i = 0; i < info.stages().size(); i++) {
            StageInfo stage = info.stages().get(i);
            if (!wanted.contains(i)) {
                stages.add(Optional.empty());
                continue;
            }
            NDArray map = require(byName, stage.name());
            Shape shape = map.getShape();
            if (shape.dimension() != 4 || shape.get(1) != stage.channels()) {
                throw new InferenceException(
                        "output " + stage.name() + " has shape " + shape + ", expected [" + frames + ", "
                                + stage.channels() + ", h, w]", null);
            }
            stages.add(Optional.of(new StageOutput(stage.name(), stage.stride(), firstFrames(map, frames), frames,
                    stage.channels(), (int) shape.get(2), (int) shape.get(3))));
        }
        return new BatchOutput(frames, info.numClasses(), logits, stages);
    }

    private static float[] firstFrames(NDArray array, int frames) {
        Shape shape = array.getShape();
        if (shape.get(0) == frames) {
            return toFloats(array);
        }
        float[] values = new float[Math.toIntExact(shape.size() / shape.get(0) * frames)];
        array.toByteBuffer().asFloatBuffer().get(values);
        return values;
    }

    /**
     * The array's values on the heap. NDArray.toFloatArray copies twice (native to a heap buffer, then
     * to an array); ONNX Runtime's own heap copy already is an array, so its arrays are copied once.
     */
    private static float[] toFloats(NDArray array) {
        if (array instanceof OrtNDArray ort) {
            FloatBuffer copy = ort.getTensor().getFloatBuffer();
            if (copy != null && copy.hasArray() && copy.arrayOffset() == 0
                    && copy.array().length == copy.capacity()) {
                return copy.array();
            }
        }
        return array.toFloatArray();
    }

    private NDArray require(Map<String, NDArray> byName, String name) {
        NDArray array = byName.get(name);
        if (array == null) {
            throw new InferenceException(
                    "model " + info.name() + " has no output named '" + name + "' (outputs: "
                            + byName.keySet() + ")", null);
        }
        return array;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
