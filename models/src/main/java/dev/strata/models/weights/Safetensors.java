package dev.strata.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.models.onnx.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}}), then the raw little-endian tensor bytes.
 */
// No Java library for the format is on Maven Central (DJL's NDList.decode needs an engine), so this small piece is ours.
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final String METADATA_KEY = "__metadata__";

    private Safetensors() {
    }

    /** All tensors of {@code file} in header order; the data is memory-mapped, not copied. */
    public static Map<String, SafetensorsTensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            ByteBuffer lengthBytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - Long.BYTES) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLength
                        + ", file size " + fileSize + ")");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, Long.BYTES);
            JsonNode header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            if (header == null || !header.isObject()) {
                throw new IOException(file + ": safetensors header is not a JSON object");
            }
            long dataStart = Long.BYTES + headerLength;
            long dataSize = fileSize - dataStart;
            if (dataSize > Integer.MAX_VALUE) {
                throw new IOException(file + ": tensor data over 2 GiB is not supported");
            }
            MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataSize);
            Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getKey().equals(METADATA_KEY)) {
                    tensors.put(field.getKey(), tensor(file, field.getKey(), field.getValue(), data));
                }
            }
            return tensors;
        }
    }

    /** Writes {@code tensors} in iteration order, data packed in the same order. */
    public static void write(Path file, Map<String, SafetensorsTensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, SafetensorsTensor> entry : tensors.entrySet()) {
            SafetensorsTensor tensor = entry.getValue();
            long end = offset + tensor.data().remaining();
            ObjectNode info = header.putObject(entry.getKey());
            info.put("dtype", tensor.dtype().name());
            IntStream.of(tensor.shape().toArray()).forEach(info.putArray("shape")::add);
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES + padded).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(padded).put(headerBytes).flip();
            writeFully(channel, prefix);
            for (SafetensorsTensor tensor : tensors.values()) {
                writeFully(channel, tensor.data().duplicate());
            }
        }
    }

    private static SafetensorsTensor tensor(Path file, String key, JsonNode info, ByteBuffer data)
            throws IOException {
        String where = file + ": tensor '" + key + "'";
        JsonNode dtypeNode = info.path("dtype");
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeNode.asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " has unknown dtype " + dtypeNode);
        }
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException(where + " has a malformed header entry: " + info);
        }
        int[] dims = new int[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asInt();
        }
        Shape shape = Shape.of(dims);
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end > data.capacity() || end - begin != shape.elementCount() * dtype.bytes()) {
            throw new IOException(where + " (" + dtype + " " + shape + ") has data_offsets [" + begin + ", "
                    + end + "], inconsistent with its shape or the " + data.capacity() + " data bytes");
        }
        return new SafetensorsTensor(dtype, shape, data.slice((int) begin, (int) (end - begin)));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
