package dev.strata.models.asmlp;

import java.util.List;

/** The configuration of the reference fixture (test resources fixtures/asmlp/README.md). */
public final class AsMlpFixture {

    /** embed_dim 8 with shift_size 5: groups of 2 channels, so only 4 of the 5 shifts are used. */
    public static final AsMlp ARCH = new AsMlp("AS-MLP-fixture", new AsMlp.Config(8, List.of(1, 1, 1, 1), 5));

    private AsMlpFixture() {
    }
}
