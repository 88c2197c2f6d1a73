package dev.strata.models.weights;

import dev.strata.models.onnx.Init;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.WeightSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Weights from a safetensors file keyed by the official state-dict names (e.g. a converted
 * PyTorch checkpoint). Every tensor the graph declares must be present with the declared shape,
 * and every tensor of the file must be used, except {@code *num_batches_tracked} and the keys a
 * family declares ignorable.
 */
public final class SafetensorsWeights implements WeightSource {

    private static final String BATCHES_TRACKED_SUFFIX = "num_batches_tracked";

    private final Path file;
    private final Map<String, SafetensorsTensor> tensors;
    private final String sha256;
    private final Set<String> used = new HashSet<>();

    private SafetensorsWeights(Path file, Map<String, SafetensorsTensor> tensors, String sha256) {
        this.file = file;
        this.tensors = tensors;
        this.sha256 = sha256;
    }

    public static SafetensorsWeights open(Path file) throws IOException {
        return new SafetensorsWeights(file, Safetensors.read(file), sha256(file));
    }

    @Override
    public Optional<float[]> load(String key, Shape shape, Init init) {
        SafetensorsTensor tensor = tensors.get(key);
        if (tensor == null) {
            throw new IllegalArgumentException(file + " has no tensor '" + key + "' (the graph expects shape "
                    + shape + ")");
        }
        if (!tensor.shape().equals(shape)) {
            throw new IllegalArgumentException("tensor '" + key + "' in " + file + " has shape " + tensor.shape()
                    + ", the graph expects " + shape);
        }
        if (!tensor.dtype().convertsToFloat()) {
            throw new IllegalArgumentException("tensor '" + key + "' in " + file + " is " + tensor.dtype()
                    + "; weights must be F32, F16, BF16 or F64");
        }
        used.add(key);
        return Optional.of(tensor.toFloats());
    }

    @Override
    public void requireAllUsed(Predicate<String> ignorable) {
        List<String> extra = tensors.keySet().stream()
                .filter(key -> !used.contains(key) && !key.endsWith(BATCHES_TRACKED_SUFFIX) && !ignorable.test(key))
                .toList();
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(file + " has " + extra.size()
                    + " tensor(s) the graph does not use: " + String.join(", ", extra));
        }
    }

    /** "safetensors:sha256=HEX" of the whole file, so an exported model names its checkpoint. */
    @Override
    public String origin() {
        return "safetensors:sha256=" + sha256;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
