package dev.strata.processor.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class FeatureSummarySerdeTest {

    private static final FeatureSummary SMALL = new FeatureSummary("cam", "f1", 0x0102030405060708L, List.of(
            new StageSummary("s1", 4, 2, 1, new float[] {1f, -2f}, new float[] {0.5f, 65504f})));

    private static byte[] write(FeatureFormat format, FeaturePrecision precision, FeatureSummary summary) {
        return new FeatureSummarySerde(format, precision).serializer().serialize("frames.features", summary);
    }

    private static FeatureSummary read(byte[] bytes) {
        return new FeatureSummaryReader().deserialize("frames.features", bytes);
    }

    /** The layout documented on FeatureSummaryWriter, byte by byte; it must never drift silently. */
    @Test
    void binaryFloat16MatchesTheDocumentedLayout() {
        String expected = "53545246" + "01" + "02"     // magic STRF, version 1, 2 bytes per value
                + "0300" + "63616d"                    // stream id "cam"
                + "0200" + "6631"                      // frame id "f1"
                + "0807060504030201"                   // capture ts, i64 little-endian
                + "0100"                               // one stage
                + "0200" + "7331"                      // name "s1"
                + "0400"                               // stride 4
                + "02000000"                           // 2 channels
                + "01"                                 // 1x1 grid
                + "003c" + "00c0"                      // pooled 1.0, -2.0 as binary16
                + "0038" + "ff7b";                     // cell 0.5, 65504

        assertThat(HexFormat.of().formatHex(write(FeatureFormat.BINARY, FeaturePrecision.FLOAT16, SMALL)))
                .isEqualTo(expected);
    }

    @Test
    void binaryFloat32MatchesTheDocumentedLayout() {
        String expected = "53545246" + "01" + "04" + "0300636" + "16d" + "02006631" + "0807060504030201" + "0100"
                + "02007331" + "0400" + "02000000" + "01"
                + "0000803f" + "000000c0"              // 1.0f, -2.0f
                + "0000003f" + "00e07f47";             // 0.5f, 65504f

        assertThat(HexFormat.of().formatHex(write(FeatureFormat.BINARY, FeaturePrecision.FLOAT32, SMALL)))
                .isEqualTo(expected);
    }

    @Test
    void jsonMatchesTheDocumentedShape() {
        FeatureSummary summary = new FeatureSummary("cam", "f1", 7L, List.of(
                new StageSummary("s1", 4, 2, 1, new float[] {0.1f, 1f / 3}, new float[] {-2f, Float.NaN})));

        assertThat(new String(write(FeatureFormat.JSON, FeaturePrecision.FLOAT16, summary), StandardCharsets.UTF_8))
                .isEqualTo("{\"streamId\":\"cam\",\"frameId\":\"f1\",\"captureTs\":7,\"precision\":\"float16\","
                        + "\"stages\":[{\"name\":\"s1\",\"stride\":4,\"channels\":2,\"grid\":1,"
                        + "\"pooled\":[0.1,0.3333],\"cells\":[[-2,\"NaN\"]]}]}");
        assertThat(new String(write(FeatureFormat.JSON, FeaturePrecision.FLOAT32, summary), StandardCharsets.UTF_8))
                .contains("\"precision\":\"float32\"", "\"pooled\":[0.1,0.33333334]", "\"cells\":[[-2.0,\"NaN\"]]");
    }

    @Test
    void everyFormatReadsBackWhatWasWrittenAtItsPrecision() {
        FeatureSummary summary = randomSummary(new Random(3));
        FeatureSummary asHalves = roundedToHalves(summary);

        assertThat(read(write(FeatureFormat.BINARY, FeaturePrecision.FLOAT32, summary))).isEqualTo(summary);
        assertThat(read(write(FeatureFormat.JSON, FeaturePrecision.FLOAT32, summary))).isEqualTo(summary);
        assertThat(read(write(FeatureFormat.BINARY, FeaturePrecision.FLOAT16, summary))).isEqualTo(asHalves);
        assertThat(read(write(FeatureFormat.JSON, FeaturePrecision.FLOAT16, summary))).isEqualTo(asHalves);
    }

    @Test
    void nonFiniteValuesSurviveEveryFormat() {
        FeatureSummary odd = new FeatureSummary("c", "f", 0, List.of(new StageSummary("s", 1, 3, 0,
                new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1e6f}, new float[0])));

        for (FeatureFormat format : FeatureFormat.values()) {
            float[] back = read(write(format, FeaturePrecision.FLOAT16, odd)).stages().get(0).pooled();
            assertThat(back[0]).as(format.name()).isNaN();
            assertThat(back[1]).isEqualTo(Float.POSITIVE_INFINITY);
            assertThat(back[2]).as("1e6 overflows binary16").isEqualTo(Float.POSITIVE_INFINITY);
        }
    }

    @Test
    void binaryIsAboutHalfTheSizeAtFloat16() {
        FeatureSummary summary = randomSummary(new Random(5));

        int f16 = write(FeatureFormat.BINARY, FeaturePrecision.FLOAT16, summary).length;
        int f32 = write(FeatureFormat.BINARY, FeaturePrecision.FLOAT32, summary).length;

        assertThat(f16 * 2.0 / f32).isBetween(1.0, 1.05);
    }

    @Test
    void refusesWhatItCannotRead() {
        byte[] valid = write(FeatureFormat.BINARY, FeaturePrecision.FLOAT16, SMALL);
        byte[] newer = valid.clone();
        newer[4] = 2;
        byte[] badPrecision = valid.clone();
        badPrecision[5] = 3;
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);

        assertThatThrownBy(() -> FeatureSummaryReader.read(new byte[] {1, 2, 3}))
                .hasMessageContaining("neither \"STRF\" nor '{'");
        assertThatThrownBy(() -> FeatureSummaryReader.read(newer)).hasMessageContaining("version 2 is not supported");
        assertThatThrownBy(() -> FeatureSummaryReader.read(badPrecision)).hasMessageContaining("precision flag 3");
        assertThatThrownBy(() -> FeatureSummaryReader.read(Arrays.copyOf(valid, valid.length - 1)))
                .hasMessageContaining("more than the 7 bytes left");
        assertThatThrownBy(() -> FeatureSummaryReader.read(Arrays.copyOf(valid, 20))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> FeatureSummaryReader.read(trailing)).hasMessageContaining("1 unexpected bytes");
        assertThatThrownBy(() -> FeatureSummaryReader.read("{\"streamId\":\"c\",\"stages\":[]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("lacks \"frameId\"");
        assertThatThrownBy(() -> read("{\"streamId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("frames.features");
    }

    @Test
    void refusesStringsTooLongForTheLayout() {
        FeatureSummary longId = new FeatureSummary("x".repeat(70_000), "f", 0, List.of());

        assertThatThrownBy(() -> write(FeatureFormat.BINARY, FeaturePrecision.FLOAT16, longId))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("stream id length 70000");
    }

    @Test
    void keepsTombstones() {
        assertThat(write(FeatureFormat.BINARY, FeaturePrecision.FLOAT16, null)).isNull();
        assertThat(read(null)).isNull();
    }

    private static FeatureSummary randomSummary(Random random) {
        return new FeatureSummary("cam-ü", "frame-1", 1_732_527_000_123L, List.of(
                stage(random, "stage1", 4, 64, 2),
                stage(random, "stage2", 8, 128, 0),
                stage(random, "stage4", 32, 512, 3)));
    }

    private static StageSummary stage(Random random, String name, int stride, int channels, int grid) {
        float[] pooled = new float[channels];
        float[] cells = new float[grid * grid * channels];
        for (int i = 0; i < pooled.length; i++) {
            pooled[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < cells.length; i++) {
            cells[i] = (float) (random.nextGaussian() * 10);
        }
        return new StageSummary(name, stride, channels, grid, pooled, cells);
    }

    private static FeatureSummary roundedToHalves(FeatureSummary summary) {
        return new FeatureSummary(summary.streamId(), summary.frameId(), summary.captureTs(), summary.stages().stream()
                .map(s -> new StageSummary(s.name(), s.stride(), s.channels(), s.grid(), halves(s.pooled()),
                        halves(s.cells())))
                .toList());
    }

    private static float[] halves(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = Float16.round(values[i]);
        }
        return rounded;
    }
}
