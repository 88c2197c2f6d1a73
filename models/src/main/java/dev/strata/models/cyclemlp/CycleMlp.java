package dev.strata.models.cyclemlp;

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
import dev.strata.models.onnx.Init;
import dev.strata.models.onnx.Shape;
import dev.strata.models.onnx.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * CycleMLP (Chen et al., "CycleMLP: A MLP-like Architecture for Dense Prediction"), as in the
 * official ShoufaChen/CycleMLP code (CycleNet): an overlapping 7x7 stride-4 patch embedding, four
 * channels-last stages of CycleMLP blocks joined by stride-2 3x3 convs, and a LayerNorm + mean
 * head. Stage outputs are each stage's last block (strides 4/8/16/32). Any input size of 3 and up works:
 * stage 1 is floor((size + 1) / 4) on each side, each later stage ceil(previous / 2).
 */
public record CycleMlp(String name, Config config) implements Architecture {

    /** CycleFC's pseudo-kernel length (1x3 for sfc_h, 3x1 for sfc_w) in every official variant. */
    private static final int CYCLE_KERNEL = 3;

    private static final Pattern OFFSET_BUFFER = Pattern.compile("network\\.\\d+\\.\\d+\\.attn\\.sfc_[hw]\\.offset");

    /** The official constructor arguments (layers, embed_dims, mlp_ratios). */
    public record Config(List<Integer> layers, List<Integer> embedDims, List<Integer> mlpRatios) {

        public Config {
            layers = List.copyOf(layers);
            embedDims = List.copyOf(embedDims);
            mlpRatios = List.copyOf(mlpRatios);
            if (layers.size() != embedDims.size() || embedDims.size() != mlpRatios.size() || layers.isEmpty()) {
                throw new IllegalArgumentException("layers, embed_dims and mlp_ratios must have the same non-zero "
                        + "length, got " + layers + ", " + embedDims + ", " + mlpRatios);
            }
            if (embedDims.stream().anyMatch(d -> d < 4)) {
                throw new IllegalArgumentException("embed_dims must be at least 4 (reweight has dim / 4 hidden "
                        + "features), got " + embedDims);
            }
        }
    }

    public static final CycleMlp B1 = new CycleMlp("CycleMLP-B1",
            new Config(List.of(2, 2, 4, 2), List.of(64, 128, 320, 512), List.of(4, 4, 4, 4)));
    public static final CycleMlp B2 = new CycleMlp("CycleMLP-B2",
            new Config(List.of(2, 3, 10, 3), List.of(64, 128, 320, 512), List.of(4, 4, 4, 4)));
    public static final CycleMlp B3 = new CycleMlp("CycleMLP-B3",
            new Config(List.of(3, 4, 18, 3), List.of(64, 128, 320, 512), List.of(8, 8, 4, 4)));
    public static final CycleMlp B4 = new CycleMlp("CycleMLP-B4",
            new Config(List.of(3, 8, 27, 3), List.of(64, 128, 320, 512), List.of(8, 8, 4, 4)));
    public static final CycleMlp B5 = new CycleMlp("CycleMLP-B5",
            new Config(List.of(3, 4, 24, 3), List.of(96, 192, 384, 768), List.of(4, 4, 4, 4)));

    /** The catalogued variants with the figures of shared/MODELS.md. */
    public static List<Variant> variants() {
        return List.of(
                new Variant(B1, new ReferenceFigures(15_155_400, 2.122, 15, 2.1, 78.9)),
                new Variant(B2, new ReferenceFigures(26_802_504, 3.876, 27, 3.9, 81.6)),
                new Variant(B3, new ReferenceFigures(38_385_720, 6.831, 38, 6.9, 82.6)),
                new Variant(B4, new ReferenceFigures(51_796_552, 10.027, 52, 10.1, 83.0)),
                new Variant(B5, new ReferenceFigures(75_747_280, 12.232, 76, 12.3, 83.2)));
    }

    @Override
    public String family() {
        return "cyclemlp";
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.any();
    }

    /** CycleFC's `offset` buffers: the shifts they hold are built into the graph as static slices. */
    @Override
    public boolean isUnusedStateKey(String key) {
        return OFFSET_BUFFER.matcher(key).matches();
    }

    @Override
    public BackboneOutputs define(GraphBuilder g, Tensor image, int numClasses) {
        Layers nn = new Layers(g);
        List<Integer> dims = config.embedDims();
        Conv2d embed = Conv2d.of(dims.get(0), 7).stride(4).padding(2);
        Tensor x = nn.toNhwc(nn.conv2d("patch_embed.proj", image, embed));

        // network = [stage 0, down, stage 1, down, ...]: stage i is network.(2i), its downsample network.(2i+1).
        List<Tensor> stageOutputs = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) {
            int hidden = dims.get(i) * config.mlpRatios().get(i);
            for (int j = 0; j < config.layers().get(i); j++) {
                x = block(nn, "network." + (2 * i) + "." + j, x, hidden);
            }
            Tensor stage = nn.toNchw(x);
            stageOutputs.add(stage);
            if (i + 1 < dims.size()) {
                Conv2d down = Conv2d.of(dims.get(i + 1), 3).stride(2).padding(1);
                x = nn.toNhwc(nn.conv2d("network." + (2 * i + 1) + ".proj", stage, down));
            }
        }

        Tensor pooled = nn.meanOverPositions(nn.layerNorm("norm", x), Layout.NHWC);
        return new BackboneOutputs(nn.linear("head", pooled, numClasses), stageOutputs);
    }

    /** x + CycleMLP(LN1(x)); x + MLP(LN2(x)). */
    private static Tensor block(Layers nn, String key, Tensor x, int hidden) {
        GraphBuilder g = nn.graph();
        x = g.add(x, cycleMlp(nn, key + ".attn", nn.layerNorm(key + ".norm1", x)));
        return g.add(x, nn.channelMlp(key + ".mlp", nn.layerNorm(key + ".norm2", x), hidden, Layout.NHWC));
    }

    /**
     * h = sfc_h(x), w = sfc_w(x), c = mlp_c(x); per-channel weights over the three from the mean
     * of h + w + c (reweight MLP, softmax over the three); proj of the weighted sum.
     */
    private static Tensor cycleMlp(Layers nn, String key, Tensor x) {
        GraphBuilder g = nn.graph();
        int dim = x.dim(-1);
        List<Tensor> groups = IntStream.range(0, CYCLE_KERNEL)
                .mapToObj(r -> g.slice(x, -1, r, Integer.MAX_VALUE, CYCLE_KERNEL))
                .toList();
        Tensor h = cycleFc(nn, key + ".sfc_h", groups, Layout.NHWC.widthAxis(), dim);
        Tensor w = cycleFc(nn, key + ".sfc_w", groups, Layout.NHWC.heightAxis(), dim);
        Tensor c = nn.linear(key + ".mlp_c", x, dim, false);

        Tensor a = nn.meanOverPositions(g.add(g.add(h, w), c), Layout.NHWC);
        a = nn.linear(key + ".reweight.fc2", nn.gelu(nn.linear(key + ".reweight.fc1", a, dim / 4)), 3 * dim);
        // reweight's 3C outputs are (channel, branch) pairs, branch fastest: softmax over the branch.
        a = g.softmax(g.reshape(a, 0, dim, 3), -1);
        Tensor mixed = g.add(g.add(g.mul(h, branchWeight(g, a, 0)), g.mul(w, branchWeight(g, a, 1))),
                g.mul(c, branchWeight(g, a, 2)));
        return nn.linear(key + ".proj", mixed, dim);
    }

    /** The softmax weights [B, C, 3] of one branch as [B, 1, 1, C], broadcast over an NHWC map. */
    private static Tensor branchWeight(GraphBuilder g, Tensor a, int branch) {
        return g.reshape(g.slice(a, -1, branch, branch + 1), 0, 1, 1, a.dim(1));
    }

    /**
     * CycleFC with a 1xK (along width) or Kx1 (along height) pseudo-kernel on channels-last maps.
     * Input channel i reads position p + d(i) along {@code axis}, d(i) = ((i + K/2) mod K) - K/2,
     * zero outside the map (the official deform_conv2d with CycleFC.gen_offset's fixed offsets),
     * then a 1x1 projection with bias. {@code groups} are the channels i = r mod K for r = 0..K-1,
     * which share one offset: each group is shifted with static slices and pads, the groups are
     * concatenated, and the projection is one MatMul whose weight rows follow the same channel order.
     */
    private static Tensor cycleFc(Layers nn, String key, List<Tensor> groups, int axis, int dim) {
        GraphBuilder g = nn.graph();
        return g.scoped(key, () -> {
            List<Tensor> shifted = new ArrayList<>();
            for (int r = 0; r < CYCLE_KERNEL; r++) {
                int offset = (r + CYCLE_KERNEL / 2) % CYCLE_KERNEL - CYCLE_KERNEL / 2;
                // Reading p + offset is torch.roll by -offset.
                shifted.add(nn.shift(groups.get(r), axis, -offset, Fill.ZERO));
            }
            Tensor weight = g.parameter(key + ".weight", Shape.of(dim, dim, 1, 1), Init.truncatedNormal(0.02));
            Tensor bias = g.parameter(key + ".bias", Shape.of(dim), Init.zeros());
            // [out, in, 1, 1] -> [in, out], rows in the concatenated group order (folded by ONNX Runtime).
            Tensor inByOut = g.transpose(g.reshape(weight, dim, dim), 1, 0);
            Tensor grouped = g.gather(inByOut, 0, groupedChannelOrder(dim));
            return g.add(g.matMul(g.concat(-1, shifted.toArray(Tensor[]::new)), grouped), bias);
        });
    }

    /** Channels 0, K, 2K, ..., then 1, K+1, ..., then 2, K+2, ...: the order of the concatenated groups. */
    private static int[] groupedChannelOrder(int channels) {
        return IntStream.range(0, CYCLE_KERNEL)
                .flatMap(r -> IntStream.iterate(r, i -> i < channels, i -> i + CYCLE_KERNEL))
                .toArray();
    }
}
