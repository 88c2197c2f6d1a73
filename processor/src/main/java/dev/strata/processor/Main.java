package dev.strata.processor;

import dev.strata.processor.bench.BenchCommand;
import dev.strata.processor.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} command line. */
@Command(name = "strata", mixinStandardHelpOptions = true,
        description = "Tags video frames from Kafka with MLP vision backbones.",
        subcommands = {RunCommand.class, DemoCommand.class, BenchCommand.class, ProduceCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        // Images are drawn and decoded off-screen; no command needs a display.
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
