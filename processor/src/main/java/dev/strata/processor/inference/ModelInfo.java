package dev.strata.processor.inference;

import dev.strata.models.StageInfo;

import java.util.List;

/**
 * What the processor needs to know about a loaded model.
 *
 * @param name model name as published in label records (e.g. {@code convmlp-s})
 * @param version identifies the weights (seed or checkpoint digest), published with every label
 * @param inputSize side of the square NCHW input the frames are preprocessed to
 * @param numClasses length of the {@code logits} output
 * @param stages the feature-map outputs, in graph order
 */
public record ModelInfo(String name, String version, int inputSize, int numClasses, List<StageInfo> stages) {
    public static final int CHANNELS = 3;

    public ModelInfo {
        stages = List.copyOf(stages);
        if (inputSize < 1 || numClasses < 1) {
            throw new IllegalArgumentException("model " + name + ": inputSize and numClasses must be positive");
        }
    }

    /** Floats in one preprocessed frame. */
    public int frameFloats() {
        return CHANNELS * inputSize * inputSize;
    }
}
