package dev.strata.processor.inference.gpu;

import dev.strata.processor.inference.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * One directory per {@link EngineCacheKey} under {@code strata.model.tensorrt.engine-cache-dir},
 * holding the ONNX file the engine is built from (under a fixed name, since ONNX Runtime's own
 * cache id includes the model file's name), the key in readable form, and the engine files ONNX
 * Runtime's TensorRT provider writes. Any entry may be deleted; it is rebuilt on the next start.
 */
public final class EngineCache {

    static final String MODEL_FILE = "model.onnx";
    static final String KEY_FILE = "key.properties";
    static final String ENGINE_SUFFIX = ".engine";

    /**
     * A prepared cache entry.
     *
     * @param directory     where the engine lives (ONNX Runtime's {@code trt_engine_cache_path})
     * @param model         the ONNX file to load
     * @param engineCached  whether a serialised engine was already there, so no build is expected
     */
    public record Entry(Path directory, Path model, boolean engineCached) {
    }

    private EngineCache() {
    }

    /** SHA-256 of a file's bytes, hex. */
    public static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Finds or creates the entry for {@code key} under {@code root}, copying {@code onnx} in when the
     * entry is new.
     */
    public static Entry prepare(Path root, EngineCacheKey key, Path onnx) {
        Path directory = root.resolve(key.directoryName());
        try {
            Files.createDirectories(directory);
            Path model = directory.resolve(MODEL_FILE);
            if (!Files.exists(model)) {
                copyAtomically(onnx, model);
            }
            Path keyFile = directory.resolve(KEY_FILE);
            if (!Files.exists(keyFile)) {
                Files.writeString(keyFile, "# TensorRT engine cache entry written by Strata; delete freely\n"
                        + key.describe(), StandardCharsets.UTF_8);
            }
            return new Entry(directory, model, hasEngine(directory));
        } catch (IOException e) {
            throw new ModelLoadException("strata.model.tensorrt.engine-cache-dir " + root.toAbsolutePath()
                    + " is not usable (" + e + "): it must be a writable directory, e.g. a volume mounted into "
                    + "the container, so that built TensorRT engines survive a restart", e);
        }
    }

    static boolean hasEngine(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(ENGINE_SUFFIX));
        }
    }

    // Two instances sharing the volume may prepare the same entry at once: each writes a temp file
    // and moves it into place, so neither ever reads a half-written model.
    private static void copyAtomically(Path source, Path target) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), MODEL_FILE, ".part");
        try {
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
