package dev.strata.processor.ops;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health/ready} and {@code /health/live} answer as an instance goes through start-up,
 * work and shutdown.
 *
 * <p>Ready: the model is loaded and warmed up, Kafka Streams is {@code RUNNING}, and the instance
 * is not closing. Live: everything except a fault the instance cannot leave by itself, i.e. a dead
 * Kafka Streams client ({@code ERROR}, or shut down by something other than {@link #closing()})
 * or wedged inference. While the model loads the instance is live but not ready: building a
 * TensorRT engine takes minutes, which a probe's start-up allowance must cover.
 */
public final class Health {

    /** An answer and the reason, which the endpoint returns as its body. */
    public record Status(boolean ok, String detail) {
    }

    /** States of a client that will not process again without a restart. */
    private static final Set<KafkaStreams.State> DEAD = EnumSet.of(KafkaStreams.State.PENDING_ERROR,
            KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.NOT_RUNNING);

    private volatile boolean modelReady;
    private volatile Supplier<KafkaStreams.State> streams;
    private volatile Supplier<Optional<String>> inferenceFault;
    private volatile boolean closing;

    /** The model is loaded and its warm-up batches have run. */
    public void modelReady() {
        modelReady = true;
    }

    /**
     * The Kafka Streams client exists (call before starting it) and inference runs.
     *
     * @param state          the client's state
     * @param inferenceFault why inference is wedged; empty while it makes progress
     */
    public void streamsCreated(Supplier<KafkaStreams.State> state, Supplier<Optional<String>> inferenceFault) {
        this.inferenceFault = inferenceFault;
        this.streams = state;
    }

    /** The instance is shutting down on purpose: not ready from now on, and not a fault. */
    public void closing() {
        closing = true;
    }

    public Status readiness() {
        if (closing) {
            return new Status(false, "closing");
        }
        if (!modelReady) {
            return new Status(false, "model loading");
        }
        Supplier<KafkaStreams.State> state = streams;
        if (state == null) {
            return new Status(false, "kafka streams not created yet");
        }
        KafkaStreams.State now = state.get();
        return now == KafkaStreams.State.RUNNING
                ? new Status(true, "ready")
                : new Status(false, "kafka streams " + now);
    }

    public Status liveness() {
        if (closing) {
            return new Status(true, "closing");
        }
        Supplier<KafkaStreams.State> state = streams;
        if (state == null) {
            return new Status(true, modelReady ? "starting" : "model loading");
        }
        KafkaStreams.State now = state.get();
        if (DEAD.contains(now)) {
            return new Status(false, "kafka streams " + now);
        }
        Optional<String> fault = inferenceFault.get();
        return fault.map(reason -> new Status(false, reason)).orElseGet(() -> new Status(true, "live"));
    }
}
