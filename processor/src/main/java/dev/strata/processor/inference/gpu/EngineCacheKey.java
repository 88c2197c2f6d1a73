package dev.strata.processor.inference.gpu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Everything a serialised TensorRT engine depends on. Engines are specific to the exact model, GPU
 * model, TensorRT version, precision and optimisation profile; change any of them and the key (so
 * the cache directory) changes with it, and the engine is rebuilt rather than misused.
 *
 * @param modelName         for a readable directory name only
 * @param modelSha256       SHA-256 of the ONNX file's bytes, hex
 * @param inputSize         the square input side the profile is built for
 * @param profile           the optimisation profile's batch sizes
 * @param fp16              whether half-precision kernels are allowed
 * @param gpuName           as the driver names it
 * @param computeCapability e.g. {@code 9.0}
 * @param tensorRt          the TensorRT library's version
 * @param runtime           what drives TensorRT, e.g. {@code onnxruntime 1.21.0}: its version decides
 *                          the engine file format it writes
 */
public record EngineCacheKey(
        String modelName,
        String modelSha256,
        int inputSize,
        BatchProfile profile,
        boolean fp16,
        String gpuName,
        String computeCapability,
        TensorRtVersion tensorRt,
        String runtime) {

    /** The key as {@code name=value} lines: written next to the engine, and what the digest is over. */
    public String describe() {
        return "model=" + modelName + "\n"
                + "model.sha256=" + modelSha256 + "\n"
                + "input=3x" + inputSize + "x" + inputSize + "\n"
                + "batch.min=" + profile.min() + "\n"
                + "batch.opt=" + profile.opt() + "\n"
                + "batch.max=" + profile.max() + "\n"
                + "precision=" + (fp16 ? "fp16" : "fp32") + "\n"
                + "gpu=" + gpuName + "\n"
                + "gpu.compute-capability=" + computeCapability + "\n"
                + "tensorrt=" + tensorRt + " (" + tensorRt.raw() + ")\n"
                + "runtime=" + runtime + "\n";
    }

    /** SHA-256 of {@link #describe()}, hex. */
    public String digest() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(describe().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The cache directory's name: the model's name for people, 16 hex digits of the digest for uniqueness. */
    public String directoryName() {
        String readable = modelName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "_");
        return readable + "-" + digest().substring(0, 16);
    }
}
