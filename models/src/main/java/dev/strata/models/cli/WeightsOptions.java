package dev.strata.models.cli;

import dev.strata.models.onnx.WeightSource;
import dev.strata.models.weights.SafetensorsWeights;
import dev.strata.models.weights.SeededWeights;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where export takes its weights from: a converted checkpoint, or seeded random values. */
final class WeightsOptions {

    @Option(names = "--weights", paramLabel = "FILE.safetensors",
            description = "Official state dict converted to safetensors (official key names, BN unfolded).")
    Path weights;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for deterministic random weights (default 0).")
    Long seed;

    WeightSource open() throws IOException {
        if (weights != null) {
            return SafetensorsWeights.open(weights);
        }
        return new SeededWeights(seed == null ? 0 : seed);
    }
}
