package dev.strata.models.hiremlp;

import java.util.List;

/** The configuration of the reference fixture (test resources fixtures/hiremlp/README.md). */
public final class HireMlpFixture {

    public static final HireMlp ARCH = new HireMlp("Hire-MLP-fixture", new HireMlp.Config(
            List.of(2, 2, 3, 2), List.of(8, 16, 24, 32), List.of(2, 2, 2, 2), List.of(4, 3, 3, 2),
            List.of(2, 2, 3, 2), List.of(2, 2, 1, 1)));

    private HireMlpFixture() {
    }
}
