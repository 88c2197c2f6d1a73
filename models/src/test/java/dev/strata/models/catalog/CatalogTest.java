package dev.strata.models.catalog;

import dev.strata.models.Variant;
import dev.strata.models.convmlp.ConvMlp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every catalogued variant against the official figures; new families are covered by being catalogued. */
class CatalogTest {

    @Test
    void paramsEqualTheOfficialCountAndMacsAreWithinFivePercent() {
        List<CatalogEntry> entries = Catalog.entries();
        assertThat(entries).hasSameSizeAs(Catalog.variants());
        for (CatalogEntry entry : entries) {
            String name = entry.architecture().name();
            double gmacs = entry.measured().macs() / 1e9;
            System.out.printf("%-18s params %,d (official %,d)  MACs %.3fG (official %.3fG)  stages %s%n", name,
                    entry.measured().params(), entry.reference().officialParams(), gmacs,
                    entry.reference().officialGMacs(), entry.measured().stages());
            assertThat(entry.measured().params()).as("params of %s", name)
                    .isEqualTo(entry.reference().officialParams());
            assertThat(gmacs).as("GMACs of %s", name)
                    .isCloseTo(entry.reference().officialGMacs(), within(0.05 * entry.reference().officialGMacs()));
        }
    }

    @Test
    void convMlpStagesHaveStrides4To32AndTheDocumentedWidths() {
        CatalogEntry small = Catalog.entries().stream()
                .filter(e -> e.architecture() == ConvMlp.S).findFirst().orElseThrow();
        assertThat(small.measured().stages()).extracting(s -> s.name() + "/" + s.stride() + "/" + s.channels())
                .containsExactly("stage1/4/64", "stage2/8/128", "stage3/16/256", "stage4/32/512");
    }

    @Test
    void findsVariantsCaseInsensitivelyAndNamesTheKnownOnesOtherwise() {
        assertThat(Catalog.find("convmlp-m")).isSameAs(ConvMlp.M);
        assertThat(Catalog.variants()).extracting(Variant::architecture).contains(ConvMlp.S, ConvMlp.M, ConvMlp.L);
        assertThatThrownBy(() -> Catalog.find("convmlp-xl"))
                .hasMessageContaining("convmlp-xl").hasMessageContaining("ConvMLP-S");
    }
}
