package dev.strata.processor.inference;

import dev.strata.models.StageInfo;

import ai.djl.Device;
import ai.djl.MalformedModelException;
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
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    private DjlBackbone(
            ModelInfo info, String engine, String device, ZooModel<NDList, NDList> model) {
        this.info = info;
        this.engine = engine;
        this.device = device;
        this.model = model;
        this.predictor = model.newPredictor();
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
            return new DjlBackbone(info, djlEngine, djlDevice.toString(), model);
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new ModelLoadException(
                    "engine " + djlEngine + " could not load " + modelFile + ": " + e.getMessage(), e);
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
    }
}
