package dev.strata.processor.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.frame.FrameSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class LabelRecordSerdeTest {

    private static final LabelRecord RECORD = new LabelRecord("cam-1", "f-17", 1_732_527_000_123L,
            new FrameSource("frames", 3, 42), new ModelRef("convmlp-s", "seed-42"),
            List.of(new ScoredLabel(281, "tabby, tabby cat", 0.625f), new ScoredLabel(285, "Egyptian cat", 0.125f)),
            8, new Timings(4.5, 3.25, 18.0, 31.75));

    /** The documented format; a change here is a change for every consumer. */
    private static final String GOLDEN = "{\"streamId\":\"cam-1\",\"frameId\":\"f-17\",\"captureTs\":1732527000123,"
            + "\"source\":{\"topic\":\"frames\",\"partition\":3,\"offset\":42},"
            + "\"model\":{\"name\":\"convmlp-s\",\"version\":\"seed-42\"},"
            + "\"labels\":[{\"index\":281,\"label\":\"tabby, tabby cat\",\"score\":0.625},"
            + "{\"index\":285,\"label\":\"Egyptian cat\",\"score\":0.125}],"
            + "\"batchSize\":8,"
            + "\"timings\":{\"queueMs\":4.5,\"preprocessMs\":3.25,\"inferenceMs\":18.0,\"endToEndMs\":31.75}}";

    private final LabelRecordSerde serde = new LabelRecordSerde();

    @Test
    void writesTheGoldenJson() {
        byte[] json = serde.serializer().serialize("frames.labels", RECORD);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(GOLDEN);
    }

    @Test
    void readsWhatItWrites() {
        byte[] json = serde.serializer().serialize("frames.labels", RECORD);

        assertThat(serde.deserializer().deserialize("frames.labels", json)).isEqualTo(RECORD);
    }

    @Test
    void ignoresFieldsAddedByLaterVersions() {
        String newer = GOLDEN.replace("\"batchSize\":8,", "\"batchSize\":8,\"device\":\"gpu:0\",");

        assertThat(serde.deserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8))).isEqualTo(RECORD);
    }

    @Test
    void keepsTombstones() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void reportsGarbageWithTheTopic() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("frames.labels", "{\"streamId\":".getBytes(
                StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("frames.labels");
        assertThatThrownBy(() -> serde.deserializer().deserialize("frames.labels", "{}".getBytes(
                StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }
}
