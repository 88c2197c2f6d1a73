package dev.strata.processor;

import dev.strata.processor.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} command line. */
@Command(name = "strata", mixinStandardHelpOptions = true,
        description = "Tags video frames from Kafka with MLP vision backbones.",
        subcommands = {RunCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
