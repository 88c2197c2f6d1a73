package dev.strata.processor.events;

import dev.strata.processor.output.ScoredLabel;
import java.util.List;

/**
 * What the event detector needs of one labelled frame, forwarded in-process (never serialized)
 * from the inference processor.
 *
 * @param embedding the L2-normalised global average of the configured stage
 * @param labels    the frame's top-k labels, best first
 */
public record EventInput(String frameId, long captureTs, float[] embedding, List<ScoredLabel> labels) {

    public EventInput {
        labels = List.copyOf(labels);
    }
}
