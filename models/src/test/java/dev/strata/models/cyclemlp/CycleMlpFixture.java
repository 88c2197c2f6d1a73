package dev.strata.models.cyclemlp;

import java.util.List;

/** The configuration of the reference fixture (test resources fixtures/cyclemlp/README.md). */
final class CycleMlpFixture {

    static final CycleMlp ARCH = new CycleMlp("CycleMLP-fixture",
            new CycleMlp.Config(List.of(1, 1, 1, 1), List.of(16, 32, 48, 64), List.of(2, 2, 2, 2)));

    private CycleMlpFixture() {
    }
}
