package dev.strata.models.weights;

/** The safetensors element types this project reads; all are converted to float32. */
public enum DType {
    F16(2), BF16(2), F32(4), F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
