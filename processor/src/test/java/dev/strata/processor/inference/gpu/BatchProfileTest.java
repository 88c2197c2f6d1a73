package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.inference.ModelLoadException;
import org.junit.jupiter.api.Test;

class BatchProfileTest {

    @Test
    void runsFromOneToMaxTunedForTheBatchSize() {
        BatchProfile profile = BatchProfile.of(8, 32);

        assertThat(profile).isEqualTo(new BatchProfile(1, 8, 32));
        assertThat(profile.sizes()).containsExactly(1, 8, 32);
        assertThat(profile).hasToString("1/8/32");
    }

    @Test
    void sizesDoNotRepeat() {
        assertThat(BatchProfile.of(1, 1).sizes()).containsExactly(1);
        assertThat(BatchProfile.of(4, 4).sizes()).containsExactly(1, 4);
    }

    @Test
    void theOptimumLiesWithinTheRange() {
        assertThatThrownBy(() -> new BatchProfile(1, 64, 32)).hasMessageContaining("1 <= min <= opt <= max, got 1/64/32");
        assertThatThrownBy(() -> new BatchProfile(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchPastMaxBatchNamesTheSetting() {
        assertThatThrownBy(() -> BatchProfile.of(256, 32))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("strata.model.tensorrt.max-batch 32 is smaller than the batch of 256 the model is loaded "
                        + "for: raise it to at least 256");
    }
}
