package dev.strata.processor.events;

import dev.strata.processor.StrataTopology;
import dev.strata.processor.config.EventSettings;
import dev.strata.processor.ops.StrataMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each stream's labelled frames into scene-change and label-change events, keeping the
 * per-stream state in a changelogged store (so it survives restarts and rebalances, and under
 * exactly-once an event is published once), and forgets streams that went silent.
 */
public final class EventProcessor implements Processor<String, EventInput, String, StreamEvent> {

    private final EventDetector detector;
    private final EventSettings settings;
    private final StrataMetrics metrics;
    private final Clock clock;
    private ProcessorContext<String, StreamEvent> context;
    private KeyValueStore<String, StreamState> streams;

    public EventProcessor(EventDetector detector, EventSettings settings, StrataMetrics metrics, Clock clock) {
        this.detector = detector;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, StreamEvent> context) {
        this.context = context;
        this.streams = context.getStateStore(StrataTopology.STREAM_STATE_STORE);
        settings.idleTimeout().ifPresent(timeout ->
                context.schedule(sweepInterval(timeout), PunctuationType.WALL_CLOCK_TIME, this::forgetIdle));
    }

    /** A quarter of the timeout, so a stream is forgotten at most 25% late, within 1 s to 1 min. */
    private static Duration sweepInterval(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : quarter.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : quarter;
    }

    @Override
    public void process(Record<String, EventInput> record) {
        EventDetector.Step step = detector.onFrame(record.key(), streams.get(record.key()), record.value(),
                clock.millis());
        streams.put(record.key(), step.state());
        if (!Double.isNaN(step.distance())) {
            metrics.sceneDistance(step.distance());
        }
        for (StreamEvent event : step.events()) {
            publish(event, record.timestamp());
        }
    }

    private void forgetIdle(long nowMs) {
        long timeoutMs = settings.idleTimeout().orElseThrow().toMillis();
        List<KeyValue<String, StreamState>> idle = new ArrayList<>();
        try (KeyValueIterator<String, StreamState> all = streams.all()) {
            while (all.hasNext()) {
                KeyValue<String, StreamState> entry = all.next();
                if (nowMs - entry.value.lastSeenMs() >= timeoutMs) {
                    idle.add(entry);
                }
            }
        }
        for (KeyValue<String, StreamState> entry : idle) {
            streams.delete(entry.key);
            if (settings.emitIdle()) {
                publish(StreamEvent.idle(entry.key, entry.value.lastFrameId(), entry.value.lastCaptureTs(),
                        nowMs - entry.value.lastSeenMs()), nowMs);
            }
        }
    }

    private void publish(StreamEvent event, long timestamp) {
        context.forward(new Record<>(event.streamId(), event, timestamp));
        metrics.event(event.type());
    }
}
