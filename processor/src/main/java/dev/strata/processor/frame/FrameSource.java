package dev.strata.processor.frame;

import java.util.Objects;

/** Where a frame was read: its input topic, partition and offset. */
public record FrameSource(String topic, int partition, long offset) {

    public FrameSource {
        Objects.requireNonNull(topic, "topic");
    }

    /** {@code topic-partition@offset}, the form used in log and error messages. */
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
