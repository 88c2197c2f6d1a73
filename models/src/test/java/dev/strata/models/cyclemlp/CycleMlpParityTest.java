package dev.strata.models.cyclemlp;

import dev.strata.models.ParityHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** CycleMLP against the official code on the fixture configuration (see fixtures/cyclemlp/README.md). */
class CycleMlpParityTest {

    @Test
    void matchesTheOfficialCodeOnLogitsAndEveryStage(@TempDir Path dir) throws Exception {
        ParityHarness.assertMatchesFixture("cyclemlp", CycleMlpFixture.ARCH, dir);
    }
}
