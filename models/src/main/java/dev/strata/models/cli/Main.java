package dev.strata.models.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code strata-models}: list the catalog, export backbones to ONNX, inspect exported files. */
@Command(name = "strata-models",
        description = "MLP vision backbones as ONNX graphs: catalog, export, inspection.",
        subcommands = {ListCommand.class, ExportCommand.class, InitWeightsCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with errors reported as one line ("error: ...") instead of a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        });
        return cli;
    }
}
