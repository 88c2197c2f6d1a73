package dev.strata.models.s2mlp;

import dev.strata.models.ParityHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * S2-MLPv2 against the reconstruction that defines it (no official code exists) on the fixture
 * configuration, at 56x84 (see fixtures/s2mlpv2/README.md).
 */
class S2MlpV2ParityTest {

    @Test
    void matchesTheReferenceOnLogitsAndEveryStage(@TempDir Path dir) throws Exception {
        ParityHarness.assertMatchesFixture("s2mlpv2", S2MlpV2Fixture.ARCH, dir);
    }
}
