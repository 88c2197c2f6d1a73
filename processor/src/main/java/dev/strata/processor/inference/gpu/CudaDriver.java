package dev.strata.processor.inference.gpu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.strata.processor.inference.ModelLoadException;
import java.nio.charset.StandardCharsets;

/**
 * Asks the NVIDIA driver (libcuda, the CUDA driver API) about a GPU before an engine touches it, so
 * that "no driver", "no GPU" and "no such GPU" fail with a message that says what to do, and so
 * that engine caches can be keyed by the GPU's name and compute capability.
 */
public final class CudaDriver {

    /** The driver API entry points Strata uses; their signatures have been stable since CUDA 2. */
    public interface Api extends Library {
        int cuInit(int flags);

        int cuDriverGetVersion(IntByReference version);

        int cuDeviceGetCount(IntByReference count);

        int cuDeviceGet(IntByReference device, int ordinal);

        int cuDeviceGetName(byte[] name, int length, int device);

        int cuDeviceGetAttribute(IntByReference value, int attribute, int device);

        int cuGetErrorName(int error, PointerByReference name);
    }

    static final String LIBRARY = "libcuda.so.1";
    static final int CUDA_SUCCESS = 0;
    static final int CUDA_ERROR_NO_DEVICE = 100;
    static final int CUDA_ERROR_SYSTEM_DRIVER_MISMATCH = 803;
    static final int COMPUTE_CAPABILITY_MAJOR = 75;
    static final int COMPUTE_CAPABILITY_MINOR = 76;

    private static final String ON_CPU = "; on a host without an NVIDIA GPU set strata.model.engine=onnxruntime and "
            + "strata.model.device=cpu";

    private CudaDriver() {
    }

    /**
     * Describes GPU {@code index} as the driver sees it.
     *
     * @throws ModelLoadException when there is no driver, no GPU, or no GPU with that index
     */
    public static GpuDevice describe(int index) {
        Api api;
        try {
            api = Native.load(LIBRARY, Api.class);
        } catch (UnsatisfiedLinkError e) {
            throw new ModelLoadException("strata.model.device gpu:" + index + ": no NVIDIA driver on this host ("
                    + LIBRARY + ", which the driver installs, cannot be loaded: " + NativeLibraries.loaderMessage(e)
                    + "). Install the NVIDIA driver; in a container, start it with the NVIDIA Container Toolkit "
                    + "(docker run --gpus all, or the compose gpu profile) so that the driver is mounted in" + ON_CPU,
                    e);
        }
        return describe(api, index);
    }

    static GpuDevice describe(Api api, int index) {
        int init = api.cuInit(0);
        if (init == CUDA_ERROR_NO_DEVICE) {
            throw new ModelLoadException("strata.model.device gpu:" + index + ": the NVIDIA driver is installed but "
                    + "sees no GPU (cuInit: " + errorName(api, init) + "). Check CUDA_VISIBLE_DEVICES (now '"
                    + System.getenv().getOrDefault("CUDA_VISIBLE_DEVICES", "unset") + "') and, in a container, that it "
                    + "was started with GPUs (docker run --gpus all, or the compose gpu profile)" + ON_CPU, null);
        }
        if (init == CUDA_ERROR_SYSTEM_DRIVER_MISMATCH) {
            throw new ModelLoadException("strata.model.device gpu:" + index + ": the user-space NVIDIA driver ("
                    + LIBRARY + ") does not match the kernel driver (cuInit: " + errorName(api, init) + "). "
                    + "Reboot after a driver upgrade, or do not bake a libcuda into the image: the NVIDIA Container "
                    + "Toolkit mounts the host's", null);
        }
        check(api, init, "cuInit", index);
        IntByReference count = new IntByReference();
        check(api, api.cuDeviceGetCount(count), "cuDeviceGetCount", index);
        if (index >= count.getValue()) {
            throw new ModelLoadException("strata.model.device gpu:" + index + ": this host has " + count.getValue()
                    + " GPU(s) visible, so the index must be 0.." + (count.getValue() - 1) + " (CUDA_VISIBLE_DEVICES "
                    + "renumbers them from 0)", null);
        }
        IntByReference device = new IntByReference();
        check(api, api.cuDeviceGet(device, index), "cuDeviceGet", index);
        byte[] name = new byte[256];
        check(api, api.cuDeviceGetName(name, name.length, device.getValue()), "cuDeviceGetName", index);
        IntByReference major = new IntByReference();
        IntByReference minor = new IntByReference();
        check(api, api.cuDeviceGetAttribute(major, COMPUTE_CAPABILITY_MAJOR, device.getValue()),
                "cuDeviceGetAttribute", index);
        check(api, api.cuDeviceGetAttribute(minor, COMPUTE_CAPABILITY_MINOR, device.getValue()),
                "cuDeviceGetAttribute", index);
        IntByReference driver = new IntByReference();
        check(api, api.cuDriverGetVersion(driver), "cuDriverGetVersion", index);
        return new GpuDevice(index, cString(name), major.getValue() + "." + minor.getValue(),
                driver.getValue() / 1000 + "." + driver.getValue() % 1000 / 10);
    }

    private static void check(Api api, int result, String call, int index) {
        if (result != CUDA_SUCCESS) {
            throw new ModelLoadException("strata.model.device gpu:" + index + ": the NVIDIA driver failed " + call
                    + " with " + errorName(api, result) + "; nvidia-smi on the same host or container shows the "
                    + "driver's view of its GPUs", null);
        }
    }

    private static String errorName(Api api, int result) {
        PointerByReference name = new PointerByReference();
        if (api.cuGetErrorName(result, name) == CUDA_SUCCESS && name.getValue() != null) {
            return name.getValue().getString(0, StandardCharsets.US_ASCII.name()) + " (" + result + ")";
        }
        return "CUresult " + result;
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
