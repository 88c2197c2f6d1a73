package dev.strata.models.cyclemlp;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.strata.models.ModelExporter;
import dev.strata.models.StageInfo;
import dev.strata.models.weights.SeededWeights;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The CycleMLP graph's structure: stages, the state-dict keys it ignores, and what its hot path runs. */
class CycleMlpTest {

    @Test
    void stagesHaveStrides4To32AndTheConfiguredWidths() {
        assertThat(ModelExporter.measure(CycleMlp.B5).stages()).containsExactly(new StageInfo("stage1", 4, 96),
                new StageInfo("stage2", 8, 192), new StageInfo("stage3", 16, 384), new StageInfo("stage4", 32, 768));
    }

    @Test
    void onlyTheCycleFcOffsetBuffersAreIgnorable() {
        assertThat(CycleMlp.B1.isUnusedStateKey("network.0.1.attn.sfc_h.offset")).isTrue();
        assertThat(CycleMlp.B1.isUnusedStateKey("network.4.12.attn.sfc_w.offset")).isTrue();
        assertThat(CycleMlp.B1.isUnusedStateKey("network.0.1.attn.sfc_h.weight")).isFalse();
        assertThat(CycleMlp.B1.isUnusedStateKey("network.0.1.attn.mlp_c.offset")).isFalse();
        assertThat(CycleMlp.B1.isUnusedStateKey("head.offset")).isFalse();
    }

    @Test
    void cycleFcShiftsWithSlicePadConcatAndGathersOnlyWeights() {
        GraphProto graph = ModelExporter.export(CycleMlpFixture.ARCH, 10, new SeededWeights(0)).model().getGraph();

        // Values computed from the image; a Gather reading one would run per frame.
        Set<String> fromInput = new HashSet<>(Set.of(ModelExporter.INPUT));
        for (NodeProto node : graph.getNodeList()) {
            if (node.getInputList().stream().anyMatch(fromInput::contains)) {
                fromInput.addAll(node.getOutputList());
            }
        }
        assertThat(fromInput).contains(ModelExporter.LOGITS);
        assertThat(graph.getNodeList()).filteredOn(n -> n.getOpType().equals("Gather")).isNotEmpty()
                .allSatisfy(n -> assertThat(fromInput).as(n.getName()).doesNotContain(n.getInput(0)));
        assertThat(graph.getNodeList()).extracting(NodeProto::getOpType)
                .contains("Slice", "Pad", "Concat", "MatMul", "Softmax")
                .doesNotContain("Expand", "ScatterND", "ScatterElements", "DeformConv", "Tile");
    }
}
