package dev.strata.processor.output;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Encodes {@link FeatureSummary} values for the {@code frames.features} topic. Thread-safe.
 *
 * <h2>Binary layout, version 1</h2>
 * All integers and floats little-endian; strings are UTF-8 preceded by their byte length.
 * <pre>
 * size      field
 * 4         magic "STRF" (0x53 0x54 0x52 0x46)
 * 1         version: 1
 * 1         precision: bytes per value, 2 = IEEE binary16, 4 = IEEE binary32
 * 2 + S     stream id: u16 length S, then S bytes
 * 2 + F     frame id: u16 length F, then F bytes
 * 8         capture timestamp, epoch milliseconds, i64
 * 2         stage count K, u16
 * K times:
 *   2 + L   stage name: u16 length L, then L bytes
 *   2       stride, u16
 *   4       channels C, i32 (positive)
 *   1       grid N, u8 (0 = no grid pooling)
 *   C       values: global average pool, channel order
 *   N*N*C   values: grid cells in row-major order (top-left first), C values each
 * </pre>
 * Nothing follows the last stage. Float16 values round to nearest even; NaN and infinities pass
 * through.
 *
 * <h2>JSON</h2>
 * <pre>{@code
 * {"streamId":"cam-1","frameId":"f-17","captureTs":1732527000123,"precision":"float16",
 *  "stages":[{"name":"stage1","stride":4,"channels":64,"grid":2,
 *             "pooled":[0.25, ...],"cells":[[...64 values...],[...],[...],[...]]}]}
 * }</pre>
 * With float16 precision each value is the shortest decimal that reads back as the same half;
 * non-finite values are the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
public final class FeatureSummaryWriter {

    static final byte[] MAGIC = {'S', 'T', 'R', 'F'};
    static final int VERSION = 1;

    private final FeatureFormat format;
    private final FeaturePrecision precision;

    public FeatureSummaryWriter(FeatureFormat format, FeaturePrecision precision) {
        this.format = Objects.requireNonNull(format, "format");
        this.precision = Objects.requireNonNull(precision, "precision");
    }

    /** @throws IllegalArgumentException when a string or count exceeds the binary layout's fields */
    public byte[] write(FeatureSummary summary) {
        return format == FeatureFormat.BINARY ? binary(summary) : json(summary);
    }

    private byte[] binary(FeatureSummary summary) {
        byte[] streamId = utf8(summary.streamId(), "stream id");
        byte[] frameId = utf8(summary.frameId(), "frame id");
        int size = 4 + 1 + 1 + 2 + streamId.length + 2 + frameId.length + 8 + 2;
        byte[][] names = new byte[summary.stages().size()][];
        for (int i = 0; i < names.length; i++) {
            StageSummary stage = summary.stages().get(i);
            names[i] = utf8(stage.name(), "stage name");
            size += 2 + names[i].length + 2 + 4 + 1 + (stage.pooled().length + stage.cells().length) * precision.bytes();
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) VERSION).put((byte) precision.bytes());
        out.putShort((short) streamId.length).put(streamId);
        out.putShort((short) frameId.length).put(frameId);
        out.putLong(summary.captureTs());
        out.putShort((short) u16(names.length, "stage count"));
        for (int i = 0; i < names.length; i++) {
            StageSummary stage = summary.stages().get(i);
            out.putShort((short) names[i].length).put(names[i]);
            out.putShort((short) u16(stage.stride(), "stride of stage " + stage.name()));
            out.putInt(stage.channels());
            if (stage.grid() > 255) {
                throw new IllegalArgumentException("grid " + stage.grid() + " does not fit the binary layout's u8");
            }
            out.put((byte) stage.grid());
            putValues(out, stage.pooled());
            putValues(out, stage.cells());
        }
        return out.array();
    }

    private void putValues(ByteBuffer out, float[] values) {
        if (precision == FeaturePrecision.FLOAT16) {
            for (float v : values) {
                out.putShort(Float16.fromFloat(v));
            }
        } else {
            for (float v : values) {
                out.putFloat(v);
            }
        }
    }

    private byte[] json(FeatureSummary summary) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("streamId", summary.streamId());
            json.writeStringField("frameId", summary.frameId());
            json.writeNumberField("captureTs", summary.captureTs());
            json.writeStringField("precision", precision.name().toLowerCase(Locale.ROOT));
            json.writeArrayFieldStart("stages");
            for (StageSummary stage : summary.stages()) {
                json.writeStartObject();
                json.writeStringField("name", stage.name());
                json.writeNumberField("stride", stage.stride());
                json.writeNumberField("channels", stage.channels());
                json.writeNumberField("grid", stage.grid());
                json.writeFieldName("pooled");
                writeArray(json, stage.pooled(), 0, stage.channels());
                json.writeArrayFieldStart("cells");
                for (int cell = 0; cell < stage.grid() * stage.grid(); cell++) {
                    writeArray(json, stage.cells(), cell * stage.channels(), stage.channels());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private void writeArray(JsonGenerator json, float[] values, int from, int count) throws IOException {
        json.writeStartArray();
        for (int i = from; i < from + count; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                json.writeString(Float.toString(v));
            } else if (precision == FeaturePrecision.FLOAT16) {
                short half = Float16.fromFloat(v);
                if (Float.isFinite(Float16.toFloat(half))) {
                    json.writeNumber(Float16.toShortestString(half));
                } else {
                    json.writeString(Float.toString(Float16.toFloat(half))); // overflowed to infinity
                }
            } else {
                json.writeNumber(v);
            }
        }
        json.writeEndArray();
    }

    private static byte[] utf8(String s, String what) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u16(bytes.length, what + " length");
        return bytes;
    }

    private static int u16(int value, String what) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " " + value + " does not fit the binary layout's u16");
        }
        return value;
    }
}
