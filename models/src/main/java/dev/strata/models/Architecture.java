package dev.strata.models;

import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Tensor;

/**
 * A backbone described on a {@link GraphBuilder}: one instance per configuration (e.g. ConvMLP-S).
 * {@link ModelExporter} turns it into an ONNX model; {@link dev.strata.models.layers.Layers}
 * provides the shared modules.
 */
public interface Architecture {

    /** The variant name users pass to the CLI, e.g. "ConvMLP-S". */
    String name();

    /** The family package name, e.g. "convmlp". */
    String family();

    /** Which input heights and widths the graph supports. */
    InputSizeRule inputSizeRule();

    /**
     * Emits the forward pass. {@code image} is NCHW float [batch, 3, H, W]; the result holds
     * [batch, numClasses] logits and one NCHW feature map per stage, shallowest first.
     */
    BackboneOutputs define(GraphBuilder g, Tensor image, int numClasses);

    /**
     * State-dict keys of the official model that the graph does not need (e.g. buffers it
     * computes statically); a checkpoint may contain them without being rejected.
     */
    default boolean isUnusedStateKey(String key) {
        return false;
    }
}
