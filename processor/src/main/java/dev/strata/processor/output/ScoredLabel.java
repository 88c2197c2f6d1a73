package dev.strata.processor.output;

/**
 * One of a frame's top-k classes.
 *
 * @param index the class index in the model's logits
 * @param label the class name
 * @param score the softmax probability, in [0, 1]
 */
public record ScoredLabel(int index, String label, float score) {
}
