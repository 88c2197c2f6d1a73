package dev.strata.models;

import dev.strata.models.onnx.Dim;
import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.Tensor;
import dev.strata.models.onnx.WeightSource;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an {@link Architecture} into an ONNX model: input {@code input} [batch, 3, height, width],
 * outputs {@code logits} [batch, classes] and {@code stage1..N} [batch, C, h, w], all dynamic
 * except the channel counts. Shapes are checked, and parameters and MACs counted, at 1x3x224x224.
 */
public final class ModelExporter {

    public static final int REFERENCE_SIZE = 224;
    public static final String INPUT = "input";
    public static final String LOGITS = "logits";
    /** Default class count: ImageNet-1k, as the official checkpoints. */
    public static final int IMAGENET_CLASSES = 1000;

    private ModelExporter() {
    }

    /** The architecture with weights from {@code weights}, ready to write. */
    public static ExportedModel export(Architecture arch, int numClasses, WeightSource weights) {
        Defined defined = define(arch, numClasses, weights);
        weights.requireAllUsed(arch::isUnusedStateKey);
        ModelMetadata metadata = new ModelMetadata(arch.name(), arch.family(), numClasses, defined.stages(),
                REFERENCE_SIZE, arch.inputSizeRule(), defined.graph().parameterCount(), defined.graph().macs(),
                weights.origin());
        String description = arch.name() + " (" + arch.family() + ") backbone: outputs '" + LOGITS
                + "' and one NCHW feature map per stage (" + defined.stages().size() + ")";
        return new ExportedModel(defined.graph().toModel(arch.name(), description, metadata.toProperties()),
                metadata);
    }

    /** Parameters, MACs and stages at 224x224 with 1000 classes, without allocating weights. */
    public static Measurement measure(Architecture arch) {
        Defined defined = define(arch, IMAGENET_CLASSES, WeightSource.shapesOnly());
        return new Measurement(defined.graph().parameterCount(), defined.graph().macs(), defined.stages());
    }

    private record Defined(GraphBuilder graph, List<StageInfo> stages) {
    }

    private static Defined define(Architecture arch, int numClasses, WeightSource weights) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("num_classes must be positive, got " + numClasses);
        }
        if (!arch.inputSizeRule().accepts(REFERENCE_SIZE, REFERENCE_SIZE)) {
            throw new IllegalStateException(arch.name() + " does not accept the reference size " + REFERENCE_SIZE);
        }
        GraphBuilder g = new GraphBuilder(weights);
        Tensor image = g.input(INPUT, Shape.of(1, 3, REFERENCE_SIZE, REFERENCE_SIZE),
                Dim.named("batch"), Dim.fixed(3), Dim.named("height"), Dim.named("width"));
        BackboneOutputs outputs = arch.define(g, image, numClasses);

        g.output(LOGITS, outputs.logits(), Dim.named("batch"), Dim.fixed(numClasses));
        List<StageInfo> stages = new ArrayList<>();
        for (int i = 0; i < outputs.stages().size(); i++) {
            Tensor stage = outputs.stages().get(i);
            String name = "stage" + (i + 1);
            if (stage.rank() != 4 || stage.dim(2) == 0 || REFERENCE_SIZE % stage.dim(2) != 0
                    || stage.dim(2) != stage.dim(3)) {
                throw new IllegalStateException(arch.name() + ": " + name + " has shape " + stage.shape()
                        + " at 1x3x224x224; expected NCHW with a stride that divides 224");
            }
            stages.add(new StageInfo(name, REFERENCE_SIZE / stage.dim(2), stage.dim(1)));
            g.output(name, stage, Dim.named("batch"), Dim.fixed(stage.dim(1)), Dim.dynamic(), Dim.dynamic());
        }
        return new Defined(g, stages);
    }
}
