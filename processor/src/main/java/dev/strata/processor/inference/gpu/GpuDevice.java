package dev.strata.processor.inference.gpu;

/**
 * One CUDA device as the NVIDIA driver describes it.
 *
 * @param index             CUDA device ordinal (after {@code CUDA_VISIBLE_DEVICES})
 * @param name              e.g. {@code NVIDIA H100 80GB HBM3}
 * @param computeCapability e.g. {@code 9.0}
 * @param driverCuda        the newest CUDA version the driver supports, e.g. {@code 12.4}
 */
public record GpuDevice(int index, String name, String computeCapability, String driverCuda) {

    @Override
    public String toString() {
        return "gpu:" + index + " (" + name + ", compute capability " + computeCapability + ", driver for CUDA "
                + driverCuda + ")";
    }
}
