package dev.strata.processor.output;

import java.util.Objects;

/**
 * Which model produced a result.
 *
 * @param name    catalog name (e.g. {@code convmlp-s}) or the ONNX file's name
 * @param version what distinguishes this model's weights, e.g. a checkpoint hash or {@code seed-42}
 */
public record ModelRef(String name, String version) {

    public ModelRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
