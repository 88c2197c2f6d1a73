package dev.strata.models.s2mlp;

import dev.strata.models.Architecture;
import dev.strata.models.BackboneOutputs;
import dev.strata.models.InputSizeRule;
import dev.strata.models.ReferenceFigures;
import dev.strata.models.Variant;
import dev.strata.models.layers.Conv2d;
import dev.strata.models.layers.Fill;
import dev.strata.models.layers.Layers;
import dev.strata.models.layers.Layout;
import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * S2-MLPv2 (Yu et al., "S2-MLPv2: Improved Spatial-Shift MLP Architecture for Vision"). The
 * authors released no code; this follows the reconstruction of shared/MODELS.md on the ViP
 * network (its key names, parameter counts and MACs): a 7x7 stride-7 patch embedding, then
 * channels-last stages of S2-MLPv2 blocks joined by 2x2 stride-2 convs, and a LayerNorm + mean
 * head. Stage outputs are each stage's last block (strides 7 and 14). Input sides must be
 * multiples of 14 (7, times 2 per downsample) so that the strided convs drop no rows or columns.
 */
public record S2MlpV2(String name, Config config) implements Architecture {

    public static final int PATCH_SIZE = 7;

    /** The reconstruction's constructor arguments (layers, dims, mlp_ratio); patch size 7. */
    public record Config(List<Integer> layers, List<Integer> dims, int mlpRatio) {

        public Config {
            layers = List.copyOf(layers);
            dims = List.copyOf(dims);
            if (layers.size() != dims.size() || layers.isEmpty()) {
                throw new IllegalArgumentException("layers and dims must have the same, non-zero length, got "
                        + layers + ", " + dims);
            }
            if (mlpRatio < 1) {
                throw new IllegalArgumentException("mlp_ratio must be positive, got " + mlpRatio);
            }
        }
    }

    public static final S2MlpV2 SMALL = new S2MlpV2("S2-MLPv2-Small/7",
            new Config(List.of(4, 14), List.of(192, 384), 3));
    public static final S2MlpV2 MEDIUM = new S2MlpV2("S2-MLPv2-Medium/7",
            new Config(List.of(7, 17), List.of(256, 512), 3));

    /** The catalogued variants with the figures of shared/MODELS.md. */
    public static List<Variant> variants() {
        return List.of(
                new Variant(SMALL, new ReferenceFigures(25_133_416, 6.902, 25, 6.9, 82.0)),
                new Variant(MEDIUM, new ReferenceFigures(55_303_976, 16.284, 55, 16.3, 83.6)));
    }

    @Override
    public String family() {
        return "s2mlp";
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.multipleOf(PATCH_SIZE << (config.layers().size() - 1));
    }

    @Override
    public BackboneOutputs define(GraphBuilder g, Tensor image, int numClasses) {
        Layers nn = new Layers(g);
        List<Tensor> stageOutputs = new ArrayList<>();

        Conv2d patchEmbed = Conv2d.of(config.dims().get(0), PATCH_SIZE).stride(PATCH_SIZE);
        Tensor x = nn.toNhwc(nn.conv2d("patch_embed.proj", image, patchEmbed));
        int lastStage = config.layers().size() - 1;
        for (int i = 0; i <= lastStage; i++) {
            // network = [stage 0, downsample, stage 1, ...]: stage i is network.(2i).
            for (int j = 0; j < config.layers().get(i); j++) {
                x = block(nn, "network." + (2 * i) + "." + j, x, config.mlpRatio());
            }
            Tensor nchw = nn.toNchw(x);
            stageOutputs.add(nchw);
            if (i < lastStage) {
                Conv2d downsample = Conv2d.of(config.dims().get(i + 1), 2).stride(2);
                x = nn.toNhwc(nn.conv2d("network." + (2 * i + 1) + ".proj", nchw, downsample));
            }
        }

        Tensor pooled = nn.meanOverPositions(nn.layerNorm("norm", x), Layout.NHWC);
        return new BackboneOutputs(nn.linear("head", pooled, numClasses), stageOutputs);
    }

    /** x + S2(LN1(x)); x + MLP(LN2(x)), channels last. */
    private static Tensor block(Layers nn, String key, Tensor x, int mlpRatio) {
        GraphBuilder g = nn.graph();
        x = g.add(x, splitAttention(nn, key + ".attn", nn.layerNorm(key + ".norm1", x)));
        int hidden = x.dim(-1) * mlpRatio;
        return g.add(x, nn.channelMlp(key + ".mlp", nn.layerNorm(key + ".norm2", x), hidden, Layout.NHWC));
    }

    /**
     * The S2-MLPv2 token mixer: expand to three C-channel branches, shift two of them (in
     * different directions per channel quarter), and fuse the three with split attention.
     */
    private static Tensor splitAttention(Layers nn, String key, Tensor x) {
        GraphBuilder g = nn.graph();
        int c = x.dim(-1);
        Tensor y = nn.linear(key + ".mlp1", x, 3 * c);
        Tensor x1 = shiftQuarters(nn, y, 0, Layout.NHWC.heightAxis(), Layout.NHWC.widthAxis());
        Tensor x2 = shiftQuarters(nn, y, c, Layout.NHWC.widthAxis(), Layout.NHWC.heightAxis());
        Tensor x3 = g.slice(y, -1, 2 * c, 3 * c);

        Tensor a = nn.meanOverPositions(g.add(g.add(x1, x2), x3), Layout.NHWC);
        a = nn.linear(key + ".reweight.fc2", nn.gelu(nn.linear(key + ".reweight.fc1", a, c / 4)), 3 * c);
        // reweight's output is (C, 3) per image: branch k of channel i is entry 3i + k.
        a = g.softmax(g.reshape(a, 0, c, 3), -1);
        Tensor fused = g.add(g.add(g.mul(x1, branchWeight(g, a, 0)), g.mul(x2, branchWeight(g, a, 1))),
                g.mul(x3, branchWeight(g, a, 2)));
        return nn.linear(key + ".proj", fused, c);
    }

    /**
     * Channels [offset, offset + C) of {@code y}, each quarter shifted by one position with the
     * edge kept: +1 then -1 along {@code firstAxis}, +1 then -1 along {@code secondAxis}.
     */
    private static Tensor shiftQuarters(Layers nn, Tensor y, int offset, int firstAxis, int secondAxis) {
        // Per-quarter Slice + shift + Concat measured slightly faster on ONNX Runtime (CPU) than one
        // edge Pad of y with a multi-axis Slice per quarter, and needs no extra builder ops.
        int c = y.dim(-1) / 3;
        int[] bounds = {0, c / 4, c / 2, 3 * c / 4, c};
        int[] axes = {firstAxis, firstAxis, secondAxis, secondAxis};
        int[] amounts = {1, -1, 1, -1};
        Tensor[] quarters = new Tensor[4];
        for (int q = 0; q < 4; q++) {
            Tensor quarter = nn.graph().slice(y, -1, offset + bounds[q], offset + bounds[q + 1]);
            quarters[q] = nn.shift(quarter, axes[q], amounts[q], Fill.KEEP);
        }
        return nn.graph().concat(-1, quarters);
    }

    /** The softmax weight of {@code branch} as [N, 1, 1, C], to scale an NHWC branch. */
    private static Tensor branchWeight(GraphBuilder g, Tensor softmaxed, int branch) {
        return g.reshape(g.slice(softmaxed, -1, branch, branch + 1), 0, 1, 1, softmaxed.dim(1));
    }
}
