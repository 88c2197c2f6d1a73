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
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A backbone served by a DJL engine through a {@link Predictor}. Every batch runs inside its own
 * {@link NDManager} scope, so no native memory outlives the call.
 */
public final class DjlBackbone implements Backbone {

    static {
        // DJL's ONNX Runtime engine otherwise initialises the default engine as a fallback for
        // NDArray math we never use; with the TensorRT jar on the classpath that default is
        // TensorRT, whose natives are absent on CPU hosts, and ONNX Runtime fails to start.
        if (System.getProperty("ai.djl.onnx.disable_alternative") == null) {
            System.setProperty("ai.djl.onnx.disable_alternative", "true");
        }
    }

    private static final String INPUT_NAME = "input";
    private static final String LOGITS_NAME = "logits";

    private final ModelInfo info;
    private final String engine;
    private final String device;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    /** ONNX Runtime session options this backbone made and must close; null when DJL made them. */
    private final OrtSession.SessionOptions sessionOptions;

    private DjlBackbone(ModelInfo info, String engine, String device, Model model,
                        OrtSession.SessionOptions sessionOptions) {
        this.info = info;
        this.engine = engine;
        this.device = device;
        this.model = model;
        this.sessionOptions = sessionOptions;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /**
     * Loads an ONNX graph with the given DJL engine.
     *
     * @param djlEngine DJL engine name, e.g. {@code OnnxRuntime} or {@code TensorRT}
     * @param options engine options passed through DJL's {@code Criteria.optOption}
     */
    public static DjlBackbone load(
            Path modelFile,
            ModelInfo info,
            String djlEngine,
            Device djlDevice,
            Map<String, String> options) {
        Criteria.Builder<NDList, NDList> builder =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(modelFile)
                        .optEngine(djlEngine)
                        .optDevice(djlDevice)
                        .optTranslator(new NoopTranslator());
        new HashMap<>(options).forEach(builder::optOption);
        try {
            ZooModel<NDList, NDList> model = builder.build().loadModel();
            return new DjlBackbone(info, djlEngine, djlDevice.toString(), model, null);
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new ModelLoadException(
                    "engine " + djlEngine + " could not load " + modelFile + ": " + e.getMessage(), e);
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
        OrtSession.SessionOptions session = new OrtSession.SessionOptions();
        Model model = null;
        try {
            for (Map.Entry<String, String> entry : sessionConfig.entrySet()) {
                session.addConfigEntry(entry.getKey(), entry.getValue());
            }
            Map<String, Object> all = new HashMap<>(options);
            all.put("sessionOptions", session);
            model = Model.newInstance(info.name(), Device.cpu(), "OnnxRuntime");
            model.load(modelFile, null, all);
            return new DjlBackbone(info, "OnnxRuntime", Device.cpu().toString(), model, session);
        } catch (OrtException | MalformedModelException | IOException | RuntimeException e) {
            if (model != null) {
                model.close();
            }
            session.close();
            throw new ModelLoadException("engine OnnxRuntime could not load " + modelFile + " with session "
                    + "configuration " + sessionConfig + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public BatchOutput infer(FloatBuffer input, int batchSize, Set<Integer> stages) {
        int frameFloats = info.frameFloats();
        FloatBuffer batch = input.duplicate().position(0).limit(batchSize * frameFloats).slice();
        try (NDManager batchScope = model.getNDManager().newSubManager()) {
            NDArray x = batchScope.create(batch,
                    new Shape(batchSize, ModelInfo.CHANNELS, info.inputSize(), info.inputSize()));
            x.setName(INPUT_NAME);
            NDList outputs = predictor.predict(new NDList(x));
            try {
                return copyOut(outputs, batchSize, stages);
            } finally {
                outputs.close();
            }
        } catch (TranslateException e) {
            throw new InferenceException(
                    "inference of a batch of " + batchSize + " failed on " + engine + "/" + device, e);
        }
    }

    private BatchOutput copyOut(NDList outputs, int batchSize, Set<Integer> wanted) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray array : outputs) {
            byName.put(array.getName(), array);
        }
        float[] logits = toFloats(require(byName, LOGITS_NAME));
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
                        "output " + stage.name() + " has shape " + shape + ", expected [" + batchSize + ", "
                                + stage.channels() + ", h, w]", null);
            }
            stages.add(Optional.of(new StageOutput(stage.name(), stage.stride(), toFloats(map), batchSize,
                    stage.channels(), (int) shape.get(2), (int) shape.get(3))));
        }
        return new BatchOutput(batchSize, info.numClasses(), logits, stages);
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
        if (sessionOptions != null) {
            sessionOptions.close();
        }
    }
}
