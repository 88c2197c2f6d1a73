package dev.strata.processor.batch;

import dev.strata.processor.StrataTopology;
import dev.strata.processor.events.EventInput;
import dev.strata.processor.frame.DeadLetter;
import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.FrameLimits;
import dev.strata.processor.frame.FrameRejectedException;
import dev.strata.processor.frame.FrameSource;
import dev.strata.processor.frame.RejectReason;
import dev.strata.processor.inference.InferenceExecutor;
import dev.strata.processor.inference.Outcome;
import dev.strata.processor.ops.StrataMetrics;
import dev.strata.processor.output.FeatureSummary;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.Timings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-task half of durable micro-batching.
 *
 * <p>A frame handed to {@link #process} counts as consumed at the task's next commit, whether or
 * not its batch has run. So before the frame is submitted to the shared
 * {@link InferenceExecutor} it is written to the task's pending store, an in-memory store backed
 * by a changelog topic (the pattern of Kafka Streams' own {@code suppress()}): the commit that
 * covers the frame's offset also covers its changelog entry. A short wall-clock punctuator
 * forwards completed frames in offset order (so each stream's labels keep their order) and
 * deletes them from the store. The store is cached, so its writes reach the changelog when the
 * task commits, before the offsets: the deletion of a labelled frame is sent after its labels,
 * and atomically with them and the offsets under exactly-once. After a crash or a rebalance the
 * store is restored with the task and its frames are submitted again by whoever owns the task
 * now; a restored frame that the input delivers again is skipped.
 */
public final class InferenceProcessor implements Processor<byte[], byte[], Object, Object> {

    /** How often completed frames are forwarded; far below any useful maxDelay. */
    static final Duration DRAIN_INTERVAL = Duration.ofMillis(5);

    private final InferenceExecutor<FrameResult> executor;
    private final FramePipeline pipeline;
    private final FrameLimits limits;
    private final int maxRecordBytes;
    private final StrataMetrics metrics;
    private final Clock clock;
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    /**
     * Offsets restored from the pending store that the input may deliver again: under
     * at_least_once a frame can reach the changelog before its offset is committed. Skipping them
     * keeps a restored frame from being labelled twice even when its labels went out before the
     * record was read again. Empty once the input has passed the highest of them.
     */
    private final TreeSet<Long> restored = new TreeSet<>();
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Long, PendingFrame> pending;

    public InferenceProcessor(InferenceExecutor<FrameResult> executor, FramePipeline pipeline, FrameLimits limits,
                              int maxRecordBytes, StrataMetrics metrics, Clock clock) {
        this.executor = executor;
        this.pipeline = pipeline;
        this.limits = limits;
        this.maxRecordBytes = maxRecordBytes;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.pending = context.getStateStore(StrataTopology.PENDING_STORE);
        // Restoration is complete when init runs: resubmit what the previous owner left pending.
        try (KeyValueIterator<Long, PendingFrame> stored = pending.all()) {
            while (stored.hasNext()) {
                PendingFrame frame = stored.next().value;
                restored.add(frame.offset());
                resubmit(frame);
            }
        }
        context.schedule(DRAIN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> drain());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("frames must come from a source topic"));
        metrics.frameConsumed();
        if (!restored.isEmpty()) {
            if (restored.contains(meta.offset())) {
                // Read again after a crash, and already restored from the pending store.
                return;
            }
            if (meta.offset() > restored.last()) {
                restored.clear();
            }
        }
        FrameSource source = new FrameSource(meta.topic(), meta.partition(), meta.offset());
        FrameEnvelope envelope;
        try {
            envelope = FrameEnvelope.parse(record.key(), record.value(), record.headers(), source,
                    record.timestamp(), limits);
        } catch (FrameRejectedException e) {
            // Nothing to wait for: dead-lettered at once, covered by the same commit as the offset.
            deadLetter(record.key(), record.value(), record.headers(), record.timestamp(), e);
            return;
        }
        PendingFrame frame = PendingFrame.of(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
                record.key(), record.value(), record.headers());
        pending.put(frame.offset(), frame);
        submit(frame, envelope);
        drain();
    }

    private void submit(PendingFrame frame, FrameEnvelope envelope) {
        try {
            inFlight.put(frame.offset(), new InFlight(frame, envelope, executor.submit(pipeline.task(envelope))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while submitting frame " + frame.frameSource(), e);
        }
    }

    private void resubmit(PendingFrame frame) {
        FrameSource source = new FrameSource(frame.topic(), frame.partition(), frame.offset());
        try {
            submit(frame, FrameEnvelope.parse(frame.key(), frame.value(), frame.kafkaHeaders(), source,
                    frame.timestamp(), limits));
        } catch (FrameRejectedException e) {
            // It parsed when it was stored; a limit tightened since the restart rejects it now.
            inFlight.put(frame.offset(), new InFlight(frame, null,
                    CompletableFuture.completedFuture(new Outcome.Rejected<>(e))));
        }
    }

    /** Forwards the completed prefix of the in-flight frames, in offset order. */
    private void drain() {
        while (!inFlight.isEmpty()) {
            Map.Entry<Long, InFlight> first = inFlight.firstEntry();
            CompletableFuture<Outcome<FrameResult>> future = first.getValue().outcome();
            if (!future.isDone()) {
                return;
            }
            publish(first.getValue(), future.join());
            pending.delete(first.getKey());
            inFlight.pollFirstEntry();
        }
    }

    private void publish(InFlight frame, Outcome<FrameResult> outcome) {
        if (outcome instanceof Outcome.Completed<FrameResult> done) {
            publishLabels(frame.envelope(), done);
        } else if (outcome instanceof Outcome.Rejected<FrameResult> rejected) {
            deadLetter(frame.stored(), rejection(frame.stored(), rejected.cause()));
        } else if (outcome instanceof Outcome.Failed<FrameResult> failed) {
            deadLetter(frame.stored(), new FrameRejectedException(RejectReason.INFERENCE_FAILED,
                    frame.stored().frameSource(), String.valueOf(failed.cause()), failed.cause()));
        } else if (outcome instanceof Outcome.Dropped<FrameResult> dropped) {
            metrics.frameDropped(dropped.reason());
        }
    }

    private void publishLabels(FrameEnvelope frame, Outcome.Completed<FrameResult> done) {
        long endToEndMs = clock.millis() - frame.captureTs();
        Outcome.Timings t = done.timings();
        Timings timings = new Timings(millis(t.queueNanos()), millis(t.preprocessNanos()),
                millis(t.inferenceNanos()), endToEndMs);
        LabelRecord labels = new LabelRecord(frame.streamId(), frame.frameId(), frame.captureTs(), frame.source(),
                pipeline.model(), done.result().labels(), t.batchSize(), timings);
        context.forward(new Record<Object, Object>(frame.streamId(), labels, frame.recordTimestamp()),
                StrataTopology.LABELS_SINK);
        if (done.result().features().isPresent()) {
            FeatureSummary features = done.result().features().get();
            context.forward(new Record<Object, Object>(frame.streamId(), features, frame.recordTimestamp()),
                    StrataTopology.FEATURES_SINK);
        }
        done.result().embedding().ifPresent(embedding -> context.forward(new Record<Object, Object>(
                frame.streamId(), new EventInput(frame.frameId(), frame.captureTs(), embedding,
                        done.result().labels()), frame.recordTimestamp()), StrataTopology.EVENTS));
        metrics.frameLabelled();
        metrics.endToEnd(endToEndMs);
    }

    private static FrameRejectedException rejection(PendingFrame frame, Throwable cause) {
        if (cause instanceof FrameRejectedException rejected) {
            return rejected;
        }
        return new FrameRejectedException(RejectReason.UNDECODABLE, frame.frameSource(),
                "decoding failed unexpectedly: " + cause, cause);
    }

    private void deadLetter(PendingFrame frame, FrameRejectedException rejection) {
        deadLetter(frame.key(), frame.value(), frame.kafkaHeaders(), frame.timestamp(), rejection);
    }

    private void deadLetter(byte[] key, byte[] value, Headers headers, long timestamp,
                            FrameRejectedException rejection) {
        Record<byte[], byte[]> record =
                DeadLetter.of(key, value, headers, timestamp, rejection, maxRecordBytes).toRecord();
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(),
                record.headers()), StrataTopology.DLQ_SINK);
        metrics.frameDeadLettered(rejection.reason());
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    @Override
    public void close() {
        // Frames still in flight stay in the pending store for the task's next owner, who submits
        // them again. Cancelled here, those not yet in a running batch give up their executor
        // slots at once instead of being run for nobody.
        inFlight.values().forEach(frame -> frame.outcome().cancel(false));
        inFlight.clear();
    }

    /** A submitted frame; {@code envelope} is null only for a restored frame that no longer parses. */
    private record InFlight(PendingFrame stored, FrameEnvelope envelope,
                            CompletableFuture<Outcome<FrameResult>> outcome) {
    }
}
