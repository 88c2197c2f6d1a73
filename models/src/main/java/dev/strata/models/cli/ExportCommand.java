package dev.strata.models.cli;

import dev.strata.models.ExportedModel;
import dev.strata.models.ModelExporter;
import dev.strata.models.ModelMetadata;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", description = "Write a backbone as an ONNX model (opset 17, dynamic batch and size).")
final class ExportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions model;

    @ArgGroup(exclusive = true)
    private WeightsOptions weights = new WeightsOptions();

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "Output file.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        ExportedModel exported = ModelExporter.export(model.architecture(), model.numClasses(), weights.open());
        exported.writeTo(out);
        ModelMetadata meta = exported.metadata();
        spec.commandLine().getOut().printf("wrote %s: %s, %,d params, %.3f GMACs at 224x224, weights %s%n",
                out, meta.arch(), meta.params(), meta.macs() / 1e9, meta.weights());
        return 0;
    }
}
