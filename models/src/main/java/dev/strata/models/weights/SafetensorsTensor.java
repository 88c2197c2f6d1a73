package dev.strata.models.weights;

import dev.strata.models.onnx.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One tensor of a safetensors file: element type, shape and raw little-endian bytes. */
public record SafetensorsTensor(DType dtype, Shape shape, ByteBuffer data) {

    public SafetensorsTensor {
        long expected = shape.elementCount() * dtype.bytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + shape + " needs " + expected
                    + " bytes, got " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer();
    }

    /** A float32 tensor holding {@code values} (row-major). */
    public static SafetensorsTensor ofFloats(Shape shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new SafetensorsTensor(DType.F32, shape, bytes);
    }

    /** The values converted to float32 (F16 and BF16 widen exactly; F64 rounds). */
    public float[] toFloats() {
        if (!dtype.convertsToFloat()) {
            throw new IllegalStateException(dtype + " is not a floating-point type");
        }
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) shape.elementCount()];
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) in.getDouble();
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(in.getShort());
                }
            }
        }
        return out;
    }

    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = Math.scalb((float) mantissa, -24);
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
