package dev.strata.models.convmlp;

import dev.strata.models.ParityHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** ConvMLP against the official code on the fixture configuration (see fixtures/convmlp/README.md). */
class ConvMlpParityTest {

    @Test
    void matchesTheOfficialCodeOnLogitsAndEveryStage(@TempDir Path dir) throws Exception {
        ParityHarness.assertMatchesFixture("convmlp", ConvMlpFixture.ARCH, dir);
    }
}
