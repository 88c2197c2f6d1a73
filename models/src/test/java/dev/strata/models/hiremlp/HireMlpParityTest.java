package dev.strata.models.hiremlp;

import dev.strata.models.ParityHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Hire-MLP against the official code on the fixture configuration (see fixtures/hiremlp/README.md):
 * its 64x96 input leaves H and W off a multiple of the region size in stages 2-4, and its blocks
 * cover every step (0, 1, 2), so circular padding, rolls and crops all take part.
 */
class HireMlpParityTest {

    @Test
    void matchesTheOfficialCodeOnLogitsAndEveryStage(@TempDir Path dir) throws Exception {
        ParityHarness.assertMatchesFixture("hiremlp", HireMlpFixture.ARCH, dir);
    }
}
