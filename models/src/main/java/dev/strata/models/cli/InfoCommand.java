package dev.strata.models.cli;

import dev.strata.models.ModelMetadata;
import dev.strata.models.StageInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "info", description = "Print what an exported model says about itself (its strata metadata).")
final class InfoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE.onnx", description = "A model written by export.")
    private Path file;

    @Override
    public Integer call() throws Exception {
        ModelMetadata meta = ModelMetadata.read(file);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("arch         %s (%s)%n", meta.arch(), meta.family());
        out.printf("classes      %d%n", meta.numClasses());
        out.printf("input        [batch, 3, height, width], height and width: %s (default %d)%n",
                meta.inputSizeRule(), meta.defaultInputSize());
        out.printf("params       %,d%n", meta.params());
        out.printf("MACs         %.3f G at 224x224%n", meta.macs() / 1e9);
        out.printf("weights      %s%n", meta.weights());
        out.printf("outputs      logits [batch, %d]%n", meta.numClasses());
        for (StageInfo stage : meta.stages()) {
            out.printf("             %s [batch, %d, h, w], stride %d%n", stage.name(), stage.channels(), stage.stride());
        }
        out.flush();
        return 0;
    }
}
