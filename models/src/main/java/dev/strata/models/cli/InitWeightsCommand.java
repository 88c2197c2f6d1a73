package dev.strata.models.cli;

import dev.strata.models.Architecture;
import dev.strata.models.ModelExporter;
import dev.strata.models.catalog.Catalog;
import dev.strata.models.weights.RecordingWeights;
import dev.strata.models.weights.Safetensors;
import dev.strata.models.weights.SeededWeights;
import picocli.CommandLine.Command;
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

    @Option(names = "--arch", required = true, paramLabel = "NAME", description = "Variant name, e.g. ConvMLP-S.")
    private String arch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed (default 0).")
    private long seed;

    @Option(names = "--num-classes", paramLabel = "N", defaultValue = "1000", description = "Classes of the head (default 1000).")
    private int numClasses;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Output file.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        Architecture architecture = Catalog.find(arch);
        RecordingWeights recording = new RecordingWeights(new SeededWeights(seed));
        ModelExporter.export(architecture, numClasses, recording);
        Safetensors.write(out, recording.stateDict());
        spec.commandLine().getOut().printf("wrote %s: %d tensors of %s, seed %d%n",
                out, recording.stateDict().size(), architecture.name(), seed);
        return 0;
    }
}
