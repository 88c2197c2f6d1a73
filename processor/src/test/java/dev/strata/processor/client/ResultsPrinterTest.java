package dev.strata.processor.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.frame.FrameSource;
import dev.strata.processor.output.FeatureFormat;
import dev.strata.processor.output.FeaturePrecision;
import dev.strata.processor.output.FeatureSummary;
import dev.strata.processor.output.FeatureSummaryWriter;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import dev.strata.processor.output.ModelRef;
import dev.strata.processor.output.ScoredLabel;
import dev.strata.processor.output.StageSummary;
import dev.strata.processor.output.Timings;
import dev.strata.processor.testing.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ResultsPrinterTest {

    private static final LabelRecord LABEL = new LabelRecord("cam-1", "17", 1_732_527_000_123L,
            new FrameSource("frames", 2, 40), new ModelRef("convmlp-s", "seeded:42"),
            List.of(new ScoredLabel(281, "tabby, tabby cat", 0.62f), new ScoredLabel(285, "Egyptian cat", 0.2f),
                    new ScoredLabel(282, "tiger cat", 0.1f), new ScoredLabel(1, "goldfish", 0.01f)),
            4, new Timings(4.2, 3.1, 18.5, 212.4));

    private final StringWriter screen = new StringWriter();
    private final ResultsPrinter printer =
            new ResultsPrinter(new PrintWriter(screen), "frames.labels", "frames.features", "frames.dlq",
                    "frames.events", 2);

    @Test
    void printsALineWithTheTopThreeLabelsPerLabelRecord() {
        byte[] json = new LabelRecordSerde().serializer().serialize("frames.labels", LABEL);

        Optional<LabelRecord> printed = printer.print(record("frames.labels", "cam-1", json, new RecordHeaders()));

        assertThat(printed).contains(LABEL);
        assertThat(screen.toString()).isEqualTo("cam-1    #17    batch 4  e2e   212 ms  "
                + "tabby 0.620 | Egyptian cat 0.200 | tiger cat 0.100" + System.lineSeparator());
    }

    @Test
    void printsTheNormOfEachStagesPooledVectorForEveryNthFrameOfAStream() {
        FeatureSummaryWriter writer = new FeatureSummaryWriter(FeatureFormat.BINARY, FeaturePrecision.FLOAT32);
        for (int i = 0; i < 3; i++) {
            FeatureSummary summary = new FeatureSummary("cam-1", Integer.toString(i), 0L, List.of(
                    new StageSummary("stage1", 4, 2, 0, new float[] {3, 4}, new float[0]),
                    new StageSummary("stage2", 8, 3, 0, new float[] {1, 2, 2}, new float[0])));
            assertThat(printer.print(record("frames.features", "cam-1", writer.write(summary), new RecordHeaders())))
                    .isEmpty();
        }

        assertThat(screen.toString().lines()).containsExactly(
                "cam-1    #0     features  stage1 s4 c2 |v|=5.00  stage2 s8 c3 |v|=3.00",
                "cam-1    #2     features  stage1 s4 c2 |v|=5.00  stage2 s8 c3 |v|=3.00");
    }

    @Test
    void printsWhyAFrameWasDeadLettered() {
        Headers headers = TestImages.headers("frame-id", "9", "error-class", "UNDECODABLE",
                "error-message", "not a JPEG");

        printer.print(record("frames.dlq", "cam-2", "junk".getBytes(StandardCharsets.UTF_8), headers));

        assertThat(screen.toString().strip()).isEqualTo("cam-2    #9     dead letter UNDECODABLE: not a JPEG");
    }

    @Test
    void printsEachEventOnALineOfItsOwn() {
        var serializer = new dev.strata.processor.events.StreamEventSerde().serializer();
        var cut = new dev.strata.processor.events.StreamEvent("scene_change", "cam-1", "42", 0L, 0.62, "41", null,
                null, null, null);
        var change = new dev.strata.processor.events.StreamEvent("label_change", "cam-1", "43", 0L, null, null,
                new ScoredLabel(281, "tabby, tabby cat", 0.6f), new ScoredLabel(1, "goldfish", 0.8f), 0.8, null);

        printer.print(record("frames.events", "cam-1", serializer.serialize("frames.events", cut), new RecordHeaders()));
        printer.print(record("frames.events", "cam-1", serializer.serialize("frames.events", change),
                new RecordHeaders()));

        assertThat(screen.toString().lines()).containsExactly(
                "cam-1    #42    EVENT scene_change  distance 0.62 after #41",
                "cam-1    #43    EVENT label_change  tabby -> goldfish (0.80)");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value, Headers headers) {
        return new ConsumerRecord<>(topic, 0, 0, 0L, TimestampType.CREATE_TIME, 0, value.length, key, value, headers,
                Optional.empty());
    }
}
