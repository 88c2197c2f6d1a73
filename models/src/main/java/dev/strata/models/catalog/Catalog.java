package dev.strata.models.catalog;

import dev.strata.models.Architecture;
import dev.strata.models.ModelExporter;
import dev.strata.models.Variant;
import dev.strata.models.asmlp.AsMlp;
import dev.strata.models.convmlp.ConvMlp;
import dev.strata.models.cyclemlp.CycleMlp;
import dev.strata.models.hiremlp.HireMlp;
import dev.strata.models.s2mlp.S2MlpV2;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every catalogued variant. Each family lists its own variants (a static {@code variants()} in
 * its package); adding a family is one line here.
 */
public final class Catalog {

    private static final List<Variant> VARIANTS = Stream.of(
                    ConvMlp.variants(),
                    CycleMlp.variants(),
                    AsMlp.variants(),
                    S2MlpV2.variants(),
                    HireMlp.variants())
            .flatMap(List::stream)
            .toList();

    private Catalog() {
    }

    public static List<Variant> variants() {
        return VARIANTS;
    }

    /** Each variant with the figures computed from its graph at 224x224 (shape-only, no weights). */
    public static List<CatalogEntry> entries() {
        return VARIANTS.stream()
                .map(v -> new CatalogEntry(v.architecture(), v.reference(), ModelExporter.measure(v.architecture())))
                .toList();
    }

    /** The variant named {@code name}, case-insensitively (e.g. "convmlp-s" for ConvMLP-S). */
    public static Architecture find(String name) {
        return VARIANTS.stream()
                .map(Variant::architecture)
                .filter(arch -> arch.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown architecture '" + name + "'; known: "
                        + VARIANTS.stream().map(v -> v.architecture().name()).collect(Collectors.joining(", "))));
    }
}
