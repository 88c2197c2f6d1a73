package dev.strata.processor.inference.gpu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.strata.processor.inference.ModelLoadException;

/** Reads the version of the TensorRT library the process will use, through its C entry point. */
public final class TensorRtLibrary {

    interface Api extends Library {
        int getInferLibVersion();
    }

    private TensorRtLibrary() {
    }

    /**
     * The version of {@code libnvinfer.so.<major>} as the dynamic loader finds it.
     *
     * @param major the TensorRT major version the engine was built against (its soname)
     * @param user  what needs it, for the error message, e.g. {@code ONNX Runtime's TensorRT provider}
     * @throws ModelLoadException when the library is not on the library path
     */
    public static TensorRtVersion version(int major, String user) {
        String library = soname(major);
        Api api;
        try {
            api = Native.load(library, Api.class);
        } catch (UnsatisfiedLinkError e) {
            throw new ModelLoadException(user + " needs TensorRT " + major + ", but " + library + " cannot be loaded ("
                    + NativeLibraries.loaderMessage(e) + "). Run the Strata TensorRT image, which has TensorRT "
                    + major + " on the library path, or install TensorRT " + major + " and put its lib directory on "
                    + "LD_LIBRARY_PATH", e);
        }
        TensorRtVersion version = TensorRtVersion.decode(api.getInferLibVersion());
        if (version.major() != major) {
            throw new ModelLoadException(user + " needs TensorRT " + major + ", but " + library + " reports "
                    + version, null);
        }
        return version;
    }

    static String soname(int major) {
        return "libnvinfer.so." + major;
    }
}
