package dev.strata.processor.output;

/**
 * Where a frame's time went, in milliseconds.
 *
 * @param queueMs      from preprocessed to its batch starting inference
 * @param preprocessMs decoding and preprocessing
 * @param inferenceMs  the batch's model run
 * @param endToEndMs   from the capture timestamp to the label record being produced
 */
public record Timings(double queueMs, double preprocessMs, double inferenceMs, double endToEndMs) {
}
