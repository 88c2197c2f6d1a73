package dev.strata.models.weights;

import dev.strata.models.onnx.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void writtenTensorsReadBackWithNamesShapesAndValuesInOrder() throws IOException {
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", SafetensorsTensor.ofFloats(Shape.of(2, 3), new float[] {1, -2, 3.5f, 0, 1e-7f, -0f}));
        tensors.put("a.bias", SafetensorsTensor.ofFloats(Shape.of(1), new float[] {42}));
        tensors.put("scalar", SafetensorsTensor.ofFloats(Shape.of(), new float[] {7}));
        Path file = dir.resolve("w.safetensors");

        Safetensors.write(file, tensors);
        Map<String, SafetensorsTensor> read = Safetensors.read(file);

        assertThat(read.keySet()).containsExactly("b.weight", "a.bias", "scalar");
        assertThat(read.get("b.weight").shape()).isEqualTo(Shape.of(2, 3));
        assertThat(read.get("b.weight").toFloats()).containsExactly(1, -2, 3.5f, 0, 1e-7f, -0f);
        assertThat(read.get("scalar").toFloats()).containsExactly(7);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).as("data starts 8-byte aligned").isZero();
    }

    @Test
    void halfBfloatAndDoubleTensorsWidenToFloat() throws IOException {
        // F16 bit patterns: 1, -2, 0.5, 65504 (max), 2^-24 (smallest subnormal), -inf.
        short[] half = {0x3C00, (short) 0xC000, 0x3800, 0x7BFF, 0x0001, (short) 0xFC00};
        // BF16 keeps the top 16 bits of a float32.
        short[] bfloat = {0x3F80, (short) 0xC040, 0x4049};
        double[] wide = {0.1, -1e10, 3};
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        tensors.put("half", new SafetensorsTensor(DType.F16, Shape.of(6), shorts(half)));
        tensors.put("bfloat", new SafetensorsTensor(DType.BF16, Shape.of(3), shorts(bfloat)));
        ByteBuffer doubles = ByteBuffer.allocate(wide.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        doubles.asDoubleBuffer().put(wide);
        tensors.put("wide", new SafetensorsTensor(DType.F64, Shape.of(3), doubles));
        Path file = dir.resolve("mixed.safetensors");
        Safetensors.write(file, tensors);

        Map<String, SafetensorsTensor> read = Safetensors.read(file);

        assertThat(read.get("half").dtype()).isEqualTo(DType.F16);
        assertThat(read.get("half").toFloats())
                .containsExactly(1f, -2f, 0.5f, 65504f, (float) Math.pow(2, -24), Float.NEGATIVE_INFINITY);
        assertThat(read.get("bfloat").toFloats()).containsExactly(1f, -3f, Float.intBitsToFloat(0x40490000));
        assertThat(read.get("wide").toFloats()).containsExactly(0.1f, -1e10f, 3f);
    }

    @Test
    void malformedFilesAreRejectedNamingTheTensor() throws IOException {
        Path badDtype = write("{\"x.weight\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(badDtype)).hasMessageContaining("x.weight").hasMessageContaining("Q7");

        Path badOffsets = write("{\"y.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,12]}}", 12);
        assertThatThrownBy(() -> Safetensors.read(badOffsets)).hasMessageContaining("y.bias").hasMessageContaining("[4]");

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{'});
        assertThatThrownBy(() -> Safetensors.read(truncated)).hasMessageContaining("not a safetensors file");
    }

    private Path write(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json);
        Path path = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(path, file.array());
        return path;
    }

    private static ByteBuffer shorts(short[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(values);
        return bytes;
    }
}
