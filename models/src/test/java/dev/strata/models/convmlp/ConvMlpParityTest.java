package dev.strata.models.convmlp;

import dev.strata.models.ParityHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** ConvMLP against the official code on the fixture configuration (see fixtures/convmlp/README.md). */
class ConvMlpParityTest {

    static final ConvMlp FIXTURE = new ConvMlp("ConvMLP-fixture",
            new ConvMlp.Config(List.of(1, 1, 1), List.of(16, 32, 48), List.of(2, 2, 2), 8, 1));

    @Test
    void matchesTheOfficialCodeOnLogitsAndEveryStage(@TempDir Path dir) throws Exception {
        ParityHarness.assertMatchesFixture("convmlp", FIXTURE, dir);
    }
}
