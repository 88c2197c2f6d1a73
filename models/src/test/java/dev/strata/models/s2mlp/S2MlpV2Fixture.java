package dev.strata.models.s2mlp;

import java.util.List;

/** The configuration of the reference fixture (test resources fixtures/s2mlpv2/README.md). */
public final class S2MlpV2Fixture {

    public static final S2MlpV2 ARCH = new S2MlpV2("S2-MLPv2-fixture",
            new S2MlpV2.Config(List.of(1, 2), List.of(16, 32), 3));

    private S2MlpV2Fixture() {
    }
}
