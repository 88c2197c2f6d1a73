package dev.strata.processor.events;

import dev.strata.processor.output.JsonSerde;

/** UTF-8 JSON for {@link StreamEvent}. */
public final class StreamEventSerde extends JsonSerde<StreamEvent> {

    public StreamEventSerde() {
        super(StreamEvent.class);
    }
}
