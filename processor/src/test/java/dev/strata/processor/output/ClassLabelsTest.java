package dev.strata.processor.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassLabelsTest {

    @TempDir
    Path dir;

    @Test
    void bundlesTheImageNetClassesInLogitOrder() {
        ClassLabels labels = ClassLabels.imageNet1k();

        assertThat(labels.size()).isEqualTo(1000);
        assertThat(labels.name(0)).isEqualTo("tench, Tinca tinca");
        assertThat(labels.name(281)).isEqualTo("tabby, tabby cat");
        assertThat(labels.name(999)).isEqualTo("toilet tissue, toilet paper, bathroom tissue");
        assertThat(ClassLabels.imageNet1k()).isSameAs(labels);
    }

    @Test
    void readsAUserFileIgnoringTrailingBlankLinesAndCarriageReturns() throws Exception {
        Path file = Files.writeString(dir.resolve("labels.txt"), "cat\r\ndog\r\nkettle\r\n\r\n\n",
                StandardCharsets.UTF_8);

        ClassLabels labels = ClassLabels.load(file);

        assertThat(labels.size()).isEqualTo(3);
        assertThat(labels.name(2)).isEqualTo("kettle");
        assertThat(labels.origin()).isEqualTo("label file " + file);
    }

    @Test
    void refusesABlankLineBetweenNames() throws Exception {
        Path file = Files.writeString(dir.resolve("labels.txt"), "cat\n\ndog\n");

        assertThatThrownBy(() -> ClassLabels.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2 is blank");
    }

    @Test
    void refusesAnEmptyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("labels.txt"), "\n");

        assertThatThrownBy(() -> ClassLabels.load(file)).hasMessageContaining("has no class names");
    }

    @Test
    void namesTheMissingFile() {
        Path missing = dir.resolve("nope.txt");

        assertThatThrownBy(() -> ClassLabels.load(missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aCountMismatchNamesBothNumbers() {
        ClassLabels labels = ClassLabels.of(List.of("a", "b", "c"), "label file x.txt");

        assertThat(labels.requireClasses(3, "mine")).isSameAs(labels);
        assertThatThrownBy(() -> labels.requireClasses(1000, "convmlp-s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("convmlp-s has 1000 classes")
                .hasMessageContaining("label file x.txt has 3 names");
    }
}
