package dev.strata.processor.inference;

/** DJL system properties Strata needs before any DJL engine starts; a value set by the user wins. */
public final class DjlDefaults {

    private DjlDefaults() {
    }

    public static void apply() {
        // DJL's ONNX Runtime engine otherwise initialises the default engine as a fallback for
        // NDArray math we never use; with the TensorRT jar on the classpath that default is
        // TensorRT, whose natives are absent on CPU hosts, and ONNX Runtime fails to start.
        setIfAbsent("ai.djl.onnx.disable_alternative", "true");
        // Natives come from the Maven Central jars and the image's libraries: DJL must never
        // download anything at run time.
        setIfAbsent("ai.djl.offline", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
