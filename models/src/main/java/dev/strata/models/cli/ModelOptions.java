package dev.strata.models.cli;

import dev.strata.models.Architecture;
import dev.strata.models.ModelExporter;
import dev.strata.models.catalog.Catalog;
import picocli.CommandLine.Option;

/** Which catalogued model a command builds: the variant and the size of its head. */
final class ModelOptions {

    @Option(names = "--arch", required = true, paramLabel = "NAME",
            description = "Variant name, case-insensitive, e.g. ConvMLP-S (see list).")
    private String arch;

    @Option(names = "--num-classes", paramLabel = "N", defaultValue = "" + ModelExporter.IMAGENET_CLASSES,
            description = "Classes of the head (default ${DEFAULT-VALUE}).")
    private int numClasses;

    Architecture architecture() {
        return Catalog.find(arch);
    }

    int numClasses() {
        return numClasses;
    }
}
