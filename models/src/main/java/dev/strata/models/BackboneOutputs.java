package dev.strata.models;

import dev.strata.models.onnx.Tensor;

import java.util.List;

/** What a backbone's graph exposes: logits [batch, classes] and NCHW stage maps, shallowest first. */
public record BackboneOutputs(Tensor logits, List<Tensor> stages) {

    public BackboneOutputs {
        stages = List.copyOf(stages);
    }
}
