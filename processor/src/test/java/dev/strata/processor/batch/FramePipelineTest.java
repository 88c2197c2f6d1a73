package dev.strata.processor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.testing.TinyModels;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which stage maps a pipeline needs from the engine: only those are copied out of it. */
class FramePipelineTest {

    private static FramePipeline pipeline(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("STRATA_MODEL_LABELS", TinyModels.labelsFile().toString());
        return FramePipeline.create(StrataConfig.load(Optional.empty(), all), TinyModels.convMlpInfo());
    }

    @Test
    void readsEveryStageForDefaultFeatures() {
        assertThat(pipeline(Map.of()).stagesRead()).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void readsNoStageWithFeaturesAndEventsOff() {
        assertThat(pipeline(Map.of("STRATA_OUTPUT_FEATURES_ENABLED", "false")).stagesRead()).isEmpty();
    }

    @Test
    void readsTheSelectedFeatureStagesAndTheEventsStage() {
        assertThat(pipeline(Map.of("STRATA_OUTPUT_FEATURES_STAGES", "0,1", "STRATA_EVENTS_ENABLED", "true"))
                .stagesRead()).containsExactlyInAnyOrder(0, 1, 3);
        assertThat(pipeline(Map.of("STRATA_OUTPUT_FEATURES_ENABLED", "false", "STRATA_EVENTS_ENABLED", "true",
                "STRATA_EVENTS_SCENE_CHANGE_STAGE", "2")).stagesRead()).containsExactly(2);
    }
}
