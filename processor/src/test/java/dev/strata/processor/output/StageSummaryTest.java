package dev.strata.processor.output;

import dev.strata.processor.inference.BatchOutput;
import dev.strata.processor.inference.StageOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StageSummaryTest {

    /** Two frames, two channels, 4x4: frame 1 channel c holds 100*c + y*4 + x. */
    private static float[] batch() {
        float[] data = new float[2 * 2 * 16];
        for (int c = 0; c < 2; c++) {
            for (int p = 0; p < 16; p++) {
                data[32 + c * 16 + p] = 100 * c + p;
            }
        }
        return data;
    }

    @Test
    void averagesEachChannelOverTheWholeMap() {
        StageSummary stage = StageSummary.pool("stage2", 8, batch(), 1, 2, 4, 4, 0);

        assertThat(stage.pooled()).containsExactly(7.5f, 107.5f);
        assertThat(stage.cells()).isEmpty();
        assertThat(stage.name()).isEqualTo("stage2");
        assertThat(stage.stride()).isEqualTo(8);
        assertThat(stage.channels()).isEqualTo(2);
    }

    @Test
    void poolsEachGridCellCellByCell() {
        StageSummary stage = StageSummary.pool("s", 8, batch(), 1, 2, 4, 4, 2);

        // Top-left cell of channel 0 holds 0, 1, 4, 5; top-right 2, 3, 6, 7; ...
        assertThat(stage.cells()).containsExactly(
                2.5f, 102.5f,
                4.5f, 104.5f,
                10.5f, 110.5f,
                12.5f, 112.5f);
    }

    @Test
    void unevenMapsShareTheMiddleRowAndColumnLikeAdaptivePooling() {
        // 3x3 values 0..8; 2x2 cells cover rows/columns [0, 2) and [1, 3).
        float[] data = {0, 1, 2, 3, 4, 5, 6, 7, 8};

        StageSummary stage = StageSummary.pool("s", 32, data, 0, 1, 3, 3, 2);

        assertThat(stage.cells()).containsExactly(2f, 3f, 5f, 6f);
        assertThat(stage.pooled()).containsExactly(4f);
    }

    @Test
    void aGridFinerThanTheMapRepeatsCells() {
        float[] data = {1, 3};

        StageSummary stage = StageSummary.pool("s", 32, data, 0, 1, 1, 2, 2);

        assertThat(stage.cells()).containsExactly(1f, 3f, 1f, 3f);
    }

    @Test
    void poolsOddSizedMapsLikeAPlainSum() {
        // 7x5 maps: rows whose length is not a multiple of the four running sums.
        java.util.Random random = new java.util.Random(3);
        float[] data = new float[2 * 3 * 7 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        StageSummary stage = StageSummary.pool("s", 4, data, 1, 3, 7, 5, 3);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int p = 0; p < 35; p++) {
                sum += data[(3 + c) * 35 + p];
            }
            assertThat(stage.pooled()[c]).isCloseTo((float) (sum / 35), org.assertj.core.data.Offset.offset(1e-6f));
        }
        // Middle cell (rows 2..4, columns 1..3) of channel 2.
        double cell = 0;
        for (int y = 2; y < 5; y++) {
            for (int x = 1; x < 4; x++) {
                cell += data[(3 + 2) * 35 + y * 5 + x];
            }
        }
        assertThat(stage.cells()[(1 * 3 + 1) * 3 + 2]).isCloseTo((float) (cell / 9),
                org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void refusesABatchIndexOutsideTheArray() {
        assertThatThrownBy(() -> StageSummary.pool("s", 8, batch(), 2, 2, 4, 4, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void checksTheVectorLengths() {
        assertThatThrownBy(() -> new StageSummary("s", 4, 3, 1, new float[3], new float[2]))
                .hasMessageContaining("do not fit 3 channels on a 1x1 grid");
    }

    @Test
    void comparesByContent() {
        assertThat(new StageSummary("s", 4, 1, 0, new float[] {1}, new float[0]))
                .isEqualTo(new StageSummary("s", 4, 1, 0, new float[] {1}, new float[0]))
                .isNotEqualTo(new StageSummary("s", 4, 1, 0, new float[] {2}, new float[0]));
    }

    @Test
    void theSummarizerKeepsTheSelectedStagesInOrder() {
        BatchOutput outputs = new BatchOutput(2, 1, new float[2], List.of(
                Optional.of(new StageOutput("stage1", 4, new float[] {1, 2}, 2, 1, 1, 1)),
                Optional.of(new StageOutput("stage2", 8, new float[] {3, 4}, 2, 1, 1, 1)),
                Optional.of(new StageOutput("stage3", 16, new float[] {5, 6}, 2, 1, 1, 1))));

        FeatureSummary selected = new FeatureSummarizer(0, List.of(2, 0)).summarize("cam", "f", 5L, outputs, 1);
        FeatureSummary all = new FeatureSummarizer(1, List.of()).summarize("cam", "f", 5L, outputs, 0);

        assertThat(selected.stages()).extracting(StageSummary::name).containsExactly("stage3", "stage1");
        assertThat(selected.stages().get(0).pooled()).containsExactly(6f);
        assertThat(all.stages()).extracting(StageSummary::stride).containsExactly(4, 8, 16);
        assertThat(all.stages().get(1).cells()).containsExactly(3f);
        assertThat(all.streamId()).isEqualTo("cam");
        assertThat(all.captureTs()).isEqualTo(5L);
    }

    @Test
    void theSummarizerReadsOnlyTheStagesItSelects() {
        assertThat(new FeatureSummarizer(0, List.of(2, 0)).stagesRead(3)).containsExactly(2, 0);
        assertThat(new FeatureSummarizer(0, List.of()).stagesRead(3)).containsExactly(0, 1, 2);

        BatchOutput onlyThird = new BatchOutput(1, 1, new float[1], List.of(Optional.empty(), Optional.empty(),
                Optional.of(new StageOutput("stage3", 16, new float[] {5}, 1, 1, 1, 1))));
        assertThat(new FeatureSummarizer(0, List.of(2)).summarize("cam", "f", 5L, onlyThird, 0).stages())
                .extracting(StageSummary::name).containsExactly("stage3");
        assertThatThrownBy(() -> new FeatureSummarizer(0, List.of()).summarize("cam", "f", 5L, onlyThird, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stage 0 was not copied out");
    }

    @Test
    void theSummarizerNamesAStageTheModelLacks() {
        FeatureSummarizer summarizer = new FeatureSummarizer(0, List.of(4));

        summarizer.requireStages(5);
        assertThatThrownBy(() -> summarizer.requireStages(4))
                .hasMessageContaining("strata.output.features.stages selects stage 4 but the model has 4 stages");
    }

    @Test
    void stageOutputsMustMatchTheirShape() {
        assertThatThrownBy(() -> new StageOutput("stage1", 4, new float[7], 2, 1, 2, 2))
                .hasMessageContaining("shape 2x1x2x2 does not match the 7 values");
    }
}
