package dev.strata.processor.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the model runs: the CPU or one GPU.
 *
 * @param gpu   whether it is a GPU
 * @param index the GPU's index; 0 for the CPU
 */
public record Device(boolean gpu, int index) {

    private static final Pattern SYNTAX = Pattern.compile("cpu|gpu(?::(\\d{1,3}))?");

    public static final Device CPU = new Device(false, 0);

    public Device {
        if (index < 0 || !gpu && index != 0) {
            throw new IllegalArgumentException("invalid device index " + index);
        }
    }

    /**
     * Parses {@code cpu}, {@code gpu} (GPU 0) or {@code gpu:N}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Device parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be cpu, gpu or gpu:N");
        }
        return text.equals("cpu") ? CPU : new Device(true, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
    }

    /** The same spelling {@link #parse} reads, e.g. {@code gpu:1}. */
    @Override
    public String toString() {
        return gpu ? "gpu:" + index : "cpu";
    }
}
