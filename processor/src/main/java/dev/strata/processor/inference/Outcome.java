package dev.strata.processor.inference;

/** What became of a submitted frame. Every submitted frame gets exactly one outcome. */
public sealed interface Outcome<R> {

    /** The frame was labelled. */
    record Completed<R>(R result, Timings timings) implements Outcome<R> {}

    /** The frame could not be decoded or preprocessed; it belongs on the dead-letter topic. */
    record Rejected<R>(Throwable cause) implements Outcome<R> {}

    /** The engine failed on this frame even when run alone; it belongs on the dead-letter topic. */
    record Failed<R>(Throwable cause) implements Outcome<R> {}

    /** A configured policy dropped the frame; counted, never silent. */
    record Dropped<R>(DropReason reason) implements Outcome<R> {}

    /** Why a policy dropped a frame; the metric tag is {@link #tag()}. */
    enum DropReason {
        /** Older than the staleness limit when its batch was formed. */
        STALE,
        /** Evicted to make room under the drop-oldest overload policy. */
        OVERLOAD;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Where a labelled frame's time went.
     *
     * @param preprocessNanos decode and preprocess
     * @param queueNanos from preprocessed to the start of its batch
     * @param inferenceNanos the batch's engine time
     * @param batchSize frames in its batch
     */
    record Timings(long preprocessNanos, long queueNanos, long inferenceNanos, int batchSize) {}
}
