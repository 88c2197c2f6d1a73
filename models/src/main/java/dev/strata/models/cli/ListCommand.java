package dev.strata.models.cli;

import dev.strata.models.StageInfo;
import dev.strata.models.catalog.Catalog;
import dev.strata.models.catalog.CatalogEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.stream.Collectors;

@Command(name = "list", description = "Print the catalog: computed params/MACs at 224x224 next to the official figures.")
final class ListCommand implements Runnable {

    private static final String ROW = "%-18s %-9s %12s %8s  %-32s %12s %8s %12s %6s%n";

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(ROW, "variant", "family", "params", "GMACs", "stages (stride:channels)",
                "official", "GMACs", "paper M/G", "top-1");
        for (CatalogEntry entry : Catalog.entries()) {
            out.printf(ROW,
                    entry.architecture().name(),
                    entry.architecture().family(),
                    String.format("%,d", entry.measured().params()),
                    String.format("%.3f", entry.measured().macs() / 1e9),
                    entry.measured().stages().stream().map(ListCommand::stage).collect(Collectors.joining(" ")),
                    String.format("%,d", entry.reference().officialParams()),
                    String.format("%.3f", entry.reference().officialGMacs()),
                    String.format("%.1f/%.1f", entry.reference().paperMParams(), entry.reference().paperGMacs()),
                    String.format("%.1f", entry.reference().top1()));
        }
        out.flush();
    }

    private static String stage(StageInfo stage) {
        return stage.stride() + ":" + stage.channels();
    }
}
