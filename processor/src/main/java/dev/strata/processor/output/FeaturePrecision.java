package dev.strata.processor.output;

/** Width of the feature values written. */
public enum FeaturePrecision {
    /** IEEE binary16: half the bytes, about 3 significant digits. */
    FLOAT16(2),
    /** IEEE binary32: the values exactly as the model produced them. */
    FLOAT32(4);

    private final int bytes;

    FeaturePrecision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per value; also the precision flag of the binary layout. */
    public int bytes() {
        return bytes;
    }
}
