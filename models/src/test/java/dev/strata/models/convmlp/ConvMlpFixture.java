package dev.strata.models.convmlp;

import java.util.List;

/** The configuration of the reference fixture (test resources fixtures/convmlp/README.md). */
public final class ConvMlpFixture {

    public static final ConvMlp ARCH = new ConvMlp("ConvMLP-fixture",
            new ConvMlp.Config(List.of(1, 1, 1), List.of(16, 32, 48), List.of(2, 2, 2), 8, 1));

    private ConvMlpFixture() {
    }
}
