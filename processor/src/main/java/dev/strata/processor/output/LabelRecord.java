package dev.strata.processor.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.processor.frame.FrameSource;
import java.util.List;
import java.util.Objects;

/**
 * The value of a {@code frames.labels} record (JSON, see {@link LabelRecordSerde}): a frame's
 * top-k classes, where it came from and how long it took. The record key is the stream id.
 *
 * <pre>{@code
 * {"streamId":"cam-1","frameId":"f-17","captureTs":1732527000123,
 *  "source":{"topic":"frames","partition":3,"offset":42},
 *  "model":{"name":"convmlp-s","version":"seed-42"},
 *  "labels":[{"index":281,"label":"tabby, tabby cat","score":0.62}, ...],
 *  "batchSize":8,
 *  "timings":{"queueMs":4.2,"preprocessMs":3.1,"inferenceMs":18.5,"endToEndMs":31.0}}
 * }</pre>
 */
@JsonPropertyOrder({"streamId", "frameId", "captureTs", "source", "model", "labels", "batchSize", "timings"})
public record LabelRecord(
        String streamId,
        String frameId,
        long captureTs,
        FrameSource source,
        ModelRef model,
        List<ScoredLabel> labels,
        int batchSize,
        Timings timings) {

    public LabelRecord {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timings, "timings");
        labels = List.copyOf(labels);
    }
}
