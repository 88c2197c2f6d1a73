package dev.strata.processor.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code frames.features} values in either format, told apart by their first byte: the
 * binary magic {@code S} or JSON's {@code {}. Consumers can call {@link #read(byte[])} or
 * configure this class as their {@code value.deserializer}.
 */
public final class FeatureSummaryReader implements Deserializer<FeatureSummary> {

    /**
     * Decodes one value.
     *
     * @throws IllegalArgumentException when the bytes are not a feature summary this version reads
     */
    public static FeatureSummary read(byte[] bytes) {
        if (bytes.length >= 4 && Arrays.equals(bytes, 0, 4, FeatureSummaryWriter.MAGIC, 0, 4)) {
            return binary(bytes);
        }
        if (bytes.length > 0 && bytes[0] == '{') {
            return json(bytes);
        }
        throw new IllegalArgumentException("not a Strata feature summary: starts with neither \"STRF\" nor '{'");
    }

    @Override
    public FeatureSummary deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return read(bytes);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static FeatureSummary binary(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(4);
        int version = in.get() & 0xFF;
        if (version != FeatureSummaryWriter.VERSION) {
            throw new IllegalArgumentException("feature summary layout version " + version + " is not supported (only "
                    + FeatureSummaryWriter.VERSION + ")");
        }
        int width = in.get() & 0xFF;
        if (width != 2 && width != 4) {
            throw new IllegalArgumentException("precision flag " + width + " is neither 2 (float16) nor 4 (float32)");
        }
        try {
            String streamId = string(in);
            String frameId = string(in);
            long captureTs = in.getLong();
            int stageCount = in.getShort() & 0xFFFF;
            List<StageSummary> stages = new ArrayList<>(stageCount);
            for (int i = 0; i < stageCount; i++) {
                String name = string(in);
                int stride = in.getShort() & 0xFFFF;
                int channels = in.getInt();
                int grid = in.get() & 0xFF;
                long count = (long) channels * (1 + grid * grid);
                if (channels < 1 || count * width > in.remaining()) {
                    throw new IllegalArgumentException("stage " + name + " declares " + channels + " channels on a "
                            + grid + "x" + grid + " grid, more than the " + in.remaining() + " bytes left");
                }
                stages.add(new StageSummary(name, stride, channels, grid, values(in, channels, width),
                        values(in, grid * grid * channels, width)));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the last stage");
            }
            return new FeatureSummary(streamId, frameId, captureTs, stages);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the feature summary is truncated (" + bytes.length + " bytes)", e);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xFFFF];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static float[] values(ByteBuffer in, int count, int width) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = width == 2 ? Float16.toFloat(in.getShort()) : in.getFloat();
        }
        return values;
    }

    private static FeatureSummary json(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed feature summary JSON: " + e.getMessage(), e);
        }
        // Float16 values are written as short decimals; rounding them back gives the exact halves.
        boolean halves = "float16".equals(root.path("precision").asText());
        List<StageSummary> stages = new ArrayList<>();
        for (JsonNode stage : required(root, "stages")) {
            int channels = required(stage, "channels").asInt();
            int grid = required(stage, "grid").asInt();
            float[] cells = new float[Math.max(0, grid * grid * channels)];
            int i = 0;
            for (JsonNode cell : required(stage, "cells")) {
                for (JsonNode v : cell) {
                    if (i == cells.length) {
                        throw new IllegalArgumentException("stage " + stage.path("name").asText()
                                + " has more cell values than " + grid + "x" + grid + " cells of " + channels);
                    }
                    cells[i++] = number(v, halves);
                }
            }
            JsonNode pooledNode = required(stage, "pooled");
            float[] pooled = new float[pooledNode.size()];
            for (int c = 0; c < pooled.length; c++) {
                pooled[c] = number(pooledNode.get(c), halves);
            }
            stages.add(new StageSummary(required(stage, "name").asText(), required(stage, "stride").asInt(), channels,
                    grid, pooled, i == cells.length ? cells : Arrays.copyOf(cells, i)));
        }
        return new FeatureSummary(required(root, "streamId").asText(), required(root, "frameId").asText(),
                required(root, "captureTs").asLong(), stages);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("feature summary JSON lacks \"" + field + "\"");
        }
        return value;
    }

    private static float number(JsonNode v, boolean halves) {
        if (v.isNumber()) {
            return halves ? Float16.round(v.floatValue()) : v.floatValue();
        }
        if (v.isTextual()) {
            switch (v.asText()) {
                case "NaN":
                    return Float.NaN;
                case "Infinity":
                    return Float.POSITIVE_INFINITY;
                case "-Infinity":
                    return Float.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("feature value " + v + " is not a number");
    }
}
