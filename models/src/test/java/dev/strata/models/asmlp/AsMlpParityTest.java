package dev.strata.models.asmlp;

import dev.strata.models.ParityHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** AS-MLP against the official code on the fixture configuration (see fixtures/asmlp/README.md). */
class AsMlpParityTest {

    @Test
    void matchesTheOfficialCodeOnLogitsAndEveryStage(@TempDir Path dir) throws Exception {
        ParityHarness.assertMatchesFixture("asmlp", AsMlpFixture.ARCH, dir);
    }
}
