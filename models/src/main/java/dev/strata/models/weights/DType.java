package dev.strata.models.weights;

/**
 * The safetensors element types. Any of them can be read (a checkpoint may hold integer buffers
 * such as num_batches_tracked); the floating ones convert to float32 weights.
 */
public enum DType {
    BOOL(1, false), U8(1, false), I8(1, false), F8_E5M2(1, false), F8_E4M3(1, false),
    I16(2, false), U16(2, false), F16(2, true), BF16(2, true),
    I32(4, false), U32(4, false), F32(4, true),
    I64(8, false), U64(8, false), F64(8, true);

    private final int bytes;
    private final boolean convertible;

    DType(int bytes, boolean convertible) {
        this.bytes = bytes;
        this.convertible = convertible;
    }

    public int bytes() {
        return bytes;
    }

    /** Whether {@link SafetensorsTensor#toFloats()} supports it: F16, BF16, F32, F64. */
    public boolean convertsToFloat() {
        return convertible;
    }
}
