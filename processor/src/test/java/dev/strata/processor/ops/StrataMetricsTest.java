package dev.strata.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.events.StreamEvent;
import dev.strata.processor.frame.RejectReason;
import dev.strata.processor.inference.Outcome.DropReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class StrataMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StrataMetrics metrics = new StrataMetrics(registry);

    @Test
    void everyReasonAndEventTypeHasItsSeriesAtZeroBeforeItsFirstEvent() {
        for (RejectReason reason : RejectReason.values()) {
            assertThat(registry.get("strata.frames.dead.lettered").tag("reason", StrataMetrics.tag(reason))
                    .counter().count()).as(reason.name()).isZero();
        }
        for (DropReason reason : DropReason.values()) {
            assertThat(registry.get("strata.frames.dropped").tag("reason", reason.tag()).counter().count()).isZero();
        }
        for (String type : StreamEvent.TYPES) {
            assertThat(registry.get("strata.events").tag("type", type).counter().count()).as(type).isZero();
        }
    }

    @Test
    void countsEachReasonAndTypeOnItsOwnSeries() {
        metrics.frameDeadLettered(RejectReason.TOO_MANY_PIXELS);
        metrics.frameDropped(DropReason.OVERLOAD);
        metrics.event(StreamEvent.LABEL_CHANGE);

        assertThat(registry.get("strata.frames.dead.lettered").tag("reason", "too_many_pixels").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("strata.frames.dead.lettered").tag("reason", "corrupt").counter().count()).isZero();
        assertThat(registry.get("strata.frames.dropped").tag("reason", "overload").counter().count()).isEqualTo(1);
        assertThat(registry.get("strata.events").tag("type", "label_change").counter().count()).isEqualTo(1);
        assertThatThrownBy(() -> metrics.event("scene_cut")).hasMessageContaining("unknown event type scene_cut");
    }
}
