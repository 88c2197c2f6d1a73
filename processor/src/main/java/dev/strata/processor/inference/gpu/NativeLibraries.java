package dev.strata.processor.inference.gpu;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads which shared library a native load failed on, and says where that library comes from. */
public final class NativeLibraries {

    // The dynamic loader's wording, passed on by the JVM, DJL and ONNX Runtime alike.
    private static final Pattern MISSING =
            Pattern.compile("(lib[A-Za-z0-9_+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");
    private static final Pattern SONAME = Pattern.compile("lib([A-Za-z_+-]+)\\.so\\.(\\d+).*");

    private NativeLibraries() {
    }

    /** The library the dynamic loader could not find, from the error or any of its causes. */
    public static Optional<String> missingLibrary(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = MISSING.matcher(t.getMessage());
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    /** What provides a library, e.g. {@code libcudnn.so.9} -> {@code cuDNN 9}. */
    public static String provider(String library) {
        Matcher m = SONAME.matcher(library);
        if (!m.matches()) {
            return "an unknown package";
        }
        String base = m.group(1);
        String major = m.group(2);
        if (library.startsWith("libcuda.so")) {
            return "the NVIDIA driver";
        }
        if (base.startsWith("nvinfer") || base.startsWith("nvonnxparser") || base.startsWith("nvparsers")) {
            return "TensorRT " + major;
        }
        if (base.startsWith("cudnn")) {
            return "cuDNN " + major;
        }
        if (base.startsWith("cu") || base.startsWith("nvrtc")) {
            return "the CUDA runtime libraries";
        }
        return "an unknown package";
    }

    /**
     * The dynamic loader's own line from a load error: JNA puts it after a heading and appends its
     * whole search path, which buries it.
     */
    static String loaderMessage(Throwable error) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        String[] lines = message.split("\n");
        for (String line : lines) {
            if (MISSING.matcher(line).find()) {
                return line.trim();
            }
        }
        return lines[0].trim();
    }
}
