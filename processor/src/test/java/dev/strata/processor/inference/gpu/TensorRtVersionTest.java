package dev.strata.processor.inference.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorRtVersionTest {

    @Test
    void decodesBothOfTensorRtsVersionNumberings() {
        // getInferLibVersion(): major*1000+minor*100+patch until TensorRT 9, major*10000+... from 10.
        assertThat(TensorRtVersion.decode(8401)).hasToString("8.4.1");
        assertThat(TensorRtVersion.decode(8603)).hasToString("8.6.3");
        assertThat(TensorRtVersion.decode(100800)).hasToString("10.8.0");
        assertThat(TensorRtVersion.decode(101304)).hasToString("10.13.4");
        assertThatThrownBy(() -> TensorRtVersion.decode(12)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesDjlsSpellingIntoTheSameNumbers() {
        assertThat(TensorRtVersion.parse("8.4.1")).isEqualTo(TensorRtVersion.decode(8401));
        assertThat(TensorRtVersion.parse("10.8.0")).isEqualTo(TensorRtVersion.decode(100800));
        assertThatThrownBy(() -> TensorRtVersion.parse("8.4")).hasMessageContaining("'8.4'");
    }

    @Test
    void comparesByMajorThenMinor() {
        TensorRtVersion v84 = TensorRtVersion.parse("8.4.1");
        assertThat(v84.atLeast(8, 4)).isTrue();
        assertThat(v84.atLeast(8, 6)).isFalse();
        assertThat(TensorRtVersion.parse("10.0.1").atLeast(8, 6)).isTrue();
    }
}
