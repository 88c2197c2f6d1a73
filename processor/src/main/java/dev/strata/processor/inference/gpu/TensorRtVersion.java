package dev.strata.processor.inference.gpu;

/**
 * A TensorRT release, as {@code getInferLibVersion()} of the loaded library reports it.
 *
 * @param raw the integer TensorRT returns: {@code major*1000 + minor*100 + patch} up to TensorRT 9,
 *            {@code major*10000 + minor*100 + patch} from TensorRT 10 on (NvInferVersion.h)
 */
public record TensorRtVersion(int raw, int major, int minor, int patch) {

    public static TensorRtVersion decode(int raw) {
        if (raw >= 100_000) {
            return new TensorRtVersion(raw, raw / 10_000, raw / 100 % 100, raw % 100);
        }
        if (raw >= 1_000) {
            return new TensorRtVersion(raw, raw / 1_000, raw / 100 % 10, raw % 100);
        }
        throw new IllegalArgumentException("not a TensorRT version number: " + raw);
    }

    /** Parses {@code major.minor.patch}, as DJL's TensorRT engine reports its version. */
    public static TensorRtVersion parse(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a TensorRT version: '" + text + "'");
        }
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            int patch = Integer.parseInt(parts[2]);
            int raw = major >= 10 ? major * 10_000 + minor * 100 + patch : major * 1_000 + minor * 100 + patch;
            return new TensorRtVersion(raw, major, minor, patch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a TensorRT version: '" + text + "'", e);
        }
    }

    public boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || major == wantedMajor && minor >= wantedMinor;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
