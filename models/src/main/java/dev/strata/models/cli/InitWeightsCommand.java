package dev.strata.models.cli;

import dev.strata.models.Architecture;
import dev.strata.models.ModelExporter;
import dev.strata.models.weights.RecordingWeights;
import dev.strata.models.weights.Safetensors;
import dev.strata.models.weights.SeededWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "init-weights",
        description = "Write seeded weights as a safetensors state dict with the official key names and shapes.")
final class InitWeightsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions model;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed (default 0).")
    private long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Output file.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        Architecture architecture = model.architecture();
        RecordingWeights recording = new RecordingWeights(new SeededWeights(seed));
        ModelExporter.export(architecture, model.numClasses(), recording);
        Safetensors.write(out, recording.stateDict());
        spec.commandLine().getOut().printf("wrote %s: %d tensors of %s, seed %d%n",
                out, recording.stateDict().size(), architecture.name(), seed);
        return 0;
    }
}
