package dev.strata.models.hiremlp;

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

/**
 * Hire-MLP (Guo et al., "Hire-MLP: Vision MLP via Hierarchical Rearrangement"), as in the official
 * ggjy/Hire-Wave-MLP.pytorch mlp_based/hire_mlp.py with circular step and pixel padding (every
 * released variant): a 7x7 stride-4 conv embedding, four stages of Hire blocks joined by stride-2
 * 3x3 convs, a BatchNorm + mean head. NCHW with BatchNorm throughout. Stage outputs are each
 * stage's last block (strides 4, 8, 16, 32).
 *
 * <p>Any input size works from 19 pixels a side, as in the official code: below that, stage 3
 * has fewer rows than its circular padding takes.
 */
public record HireMlp(String name, Config config) implements Architecture {

    /** The official constructor arguments (layers, embed_dims, mlp_ratios, pixel, step_stride, step_dilation). */
    public record Config(List<Integer> layers, List<Integer> embedDims, List<Integer> mlpRatios, List<Integer> pixel,
                         List<Integer> stepStride, List<Integer> stepDilation) {

        public Config {
            layers = List.copyOf(layers);
            embedDims = List.copyOf(embedDims);
            mlpRatios = List.copyOf(mlpRatios);
            pixel = List.copyOf(pixel);
            stepStride = List.copyOf(stepStride);
            stepDilation = List.copyOf(stepDilation);
            int stages = layers.size();
            for (List<Integer> perStage : List.of(embedDims, mlpRatios, pixel, stepStride, stepDilation)) {
                if (perStage.size() != stages) {
                    throw new IllegalArgumentException("layers, embed_dims, mlp_ratios, pixel, step_stride and "
                            + "step_dilation must have one entry per stage, got " + layers + ", " + embedDims + ", "
                            + mlpRatios + ", " + pixel + ", " + stepStride + ", " + stepDilation);
                }
            }
            if (pixel.stream().anyMatch(p -> p < 1) || stepStride.stream().anyMatch(s -> s < 1)) {
                throw new IllegalArgumentException("pixel and step_stride must be positive, got " + pixel + ", "
                        + stepStride);
            }
        }

        /** A released variant: everything but layers and embed_dims is shared. */
        static Config released(List<Integer> layers, List<Integer> embedDims) {
            return new Config(layers, embedDims, List.of(4, 4, 4, 4), List.of(4, 3, 3, 2), List.of(2, 2, 3, 2),
                    List.of(2, 2, 1, 1));
        }
    }

    public static final HireMlp TINY = new HireMlp("Hire-MLP-Tiny",
            Config.released(List.of(2, 2, 4, 2), List.of(64, 128, 320, 512)));
    public static final HireMlp SMALL = new HireMlp("Hire-MLP-Small",
            Config.released(List.of(3, 4, 10, 3), List.of(64, 128, 320, 512)));
    public static final HireMlp BASE = new HireMlp("Hire-MLP-Base",
            Config.released(List.of(4, 6, 24, 3), List.of(64, 128, 320, 512)));
    public static final HireMlp LARGE = new HireMlp("Hire-MLP-Large",
            Config.released(List.of(4, 6, 24, 3), List.of(96, 192, 384, 768)));

    /** The catalogued variants with the figures of shared/MODELS.md. */
    public static List<Variant> variants() {
        return List.of(
                new Variant(TINY, new ReferenceFigures(18_041_672, 2.144, 18, 2.1, 79.7)),
                new Variant(SMALL, new ReferenceFigures(33_113_848, 4.231, 33, 4.2, 82.1)),
                new Variant(BASE, new ReferenceFigures(58_226_856, 8.111, 58, 8.1, 83.2)),
                new Variant(LARGE, new ReferenceFigures(95_723_944, 13.422, 96, 13.4, 83.8)));
    }

    @Override
    public String family() {
        return "hiremlp";
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.any();
    }

    @Override
    public BackboneOutputs define(GraphBuilder g, Tensor image, int numClasses) {
        Layers nn = new Layers(g);
        List<Tensor> stageOutputs = new ArrayList<>();

        Tensor x = convBnRelu(nn, "patch_embed", image, Conv2d.of(config.embedDims().get(0), 7).stride(4).padding(2));
        int stages = config.layers().size();
        for (int i = 0; i < stages; i++) {
            x = stage(nn, i, x);
            stageOutputs.add(x);
            if (i + 1 < stages) {
                Conv2d downsample = Conv2d.of(config.embedDims().get(i + 1), 3).stride(2).padding(1);
                x = convBnRelu(nn, "network." + (2 * i + 1), x, downsample);
            }
        }

        Tensor pooled = nn.meanOverPositions(nn.batchNorm2d("norm", x), Layout.NCHW);
        return new BackboneOutputs(nn.linear("head", pooled, numClasses), stageOutputs);
    }

    /** The blocks of stage {@code index} ({@code network.(2 index)}); block j steps by (j mod stride) * dilation. */
    private Tensor stage(Layers nn, int index, Tensor x) {
        int hidden = config.embedDims().get(index) * config.mlpRatios().get(index);
        int pixel = config.pixel().get(index);
        for (int j = 0; j < config.layers().get(index); j++) {
            int step = (j % config.stepStride().get(index)) * config.stepDilation().get(index);
            x = block(nn, "network." + (2 * index) + "." + j, x, hidden, pixel, step);
        }
        return x;
    }

    /** x + HireMLP(BN1(x)); x + MLP(BN2(x)). */
    private static Tensor block(Layers nn, String key, Tensor x, int hidden, int pixel, int step) {
        GraphBuilder g = nn.graph();
        x = g.add(x, hireMlp(nn, key + ".attn", nn.batchNorm2d(key + ".norm1", x), pixel, step));
        return g.add(x, nn.channelMlp(key + ".mlp", nn.batchNorm2d(key + ".norm2", x), hidden, Layout.NCHW));
    }

    /**
     * Region mixing along H and along W, a channel branch, and their sum reweighted per channel
     * by a softmax over the three branches, then a projection.
     */
    private static Tensor hireMlp(Layers nn, String key, Tensor x, int pixel, int step) {
        GraphBuilder g = nn.graph();
        int dim = x.dim(1);
        Tensor h = regionMix(nn, key, "h", x, 2, pixel, step);
        Tensor w = regionMix(nn, key, "w", x, 3, pixel, step);
        Tensor c = nn.conv2d(key + ".mlp_c", x, Conv2d.of(dim, 1));

        Tensor a = g.reduceMean(g.add(g.add(h, w), c), true, 2, 3);
        a = nn.gelu(nn.conv2d(key + ".reweight.fc1", a, Conv2d.of(dim / 4, 1)));
        a = nn.conv2d(key + ".reweight.fc2", a, Conv2d.of(3 * dim, 1));
        // [B, 3C, 1, 1] holds (channel, branch) pairs channel-major: softmax over the branch axis.
        a = g.softmax(g.reshape(a, 0, dim, 3, 1), 2);
        Tensor mixed = g.add(g.add(
                g.mul(h, g.slice(a, 2, 0, 1)),
                g.mul(w, g.slice(a, 2, 1, 2))),
                g.mul(c, g.slice(a, 2, 2, 3)));
        return nn.conv2d(key + ".proj", mixed, Conv2d.of(dim, 1));
    }

    /**
     * The official roll by +step, circular pad to a multiple of {@code pixel}, inner-region
     * rearrangement (B, C, H', W) -> (B, C*pixel, H'/pixel, W), mlp_{a}1 (1x1, no bias), BN,
     * ReLU, mlp_{a}2 (1x1, bias), inverse rearrangement, crop and roll back, along {@code axis}
     * (2: H with a = h, 3: W with a = w), without moving data between channels and positions:
     * <ul>
     *   <li>rearrangement + mlp_{a}1 is a conv with kernel and stride {@code pixel} along the
     *   axis, its weight [C/2, C*p, 1, 1] viewed as [C/2, C, p, 1] (channel index c*p + r);</li>
     *   <li>mlp_{a}2 + inverse rearrangement is the ConvTranspose of the same geometry with
     *   weight[o, c, r] = mlp_{a}2.weight[c*p + r, o]. Its bias depends on r, which
     *   ConvTranspose's per-channel bias cannot express, so the conv gets one more output
     *   channel that the BatchNorm (scale 0, shift 1) holds at 1, and the bias becomes that
     *   channel's ConvTranspose weight;</li>
     *   <li>the circular pad always appends the first p-1 rows: the strided conv then makes
     *   ceil(H/p) windows, exactly the official padded regions, and drops a partial one.</li>
     * </ul>
     */
    private static Tensor regionMix(Layers nn, String key, String a, Tensor x, int axis, int pixel, int step) {
        GraphBuilder g = nn.graph();
        int dim = x.dim(1);
        int half = dim / 2;
        Tensor rolled = nn.shift(x, axis, step, Fill.WRAP);
        Tensor padded = pixel > 1 ? g.concat(axis, rolled, g.slice(rolled, axis, 0, pixel - 1)) : rolled;
        int[] strides = axis == 2 ? new int[] {pixel, 1} : new int[] {1, pixel};
        // The region kernel [.., p, 1] along H or [.., 1, p] along W.
        int[] kernelDims = axis == 2 ? new int[] {pixel, 1} : new int[] {1, pixel};

        String fc1 = key + ".mlp_" + a + "1";
        Shape fc1Shape = Shape.of(half, dim * pixel, 1, 1);
        Tensor fc1Weight = g.reshape(g.parameter(fc1 + ".weight", fc1Shape, Init.kaimingNormalFanOut(fc1Shape)),
                half, dim, kernelDims[0], kernelDims[1]);
        // Zero weights for the extra output channel; the BatchNorm's scale 0 would discard any.
        Tensor extraRow = g.mul(g.slice(fc1Weight, 0, 0, 1), g.scalar(0f));
        Tensor regions = g.scoped(fc1, () -> g.conv(padded, g.concat(0, fc1Weight, extraRow), null, strides,
                new int[] {0, 0, 0, 0}, 1));
        Tensor z = nn.relu(batchNormWithOnes(g, key + ".mlp_" + a + "1_norm", regions, half));

        String fc2 = key + ".mlp_" + a + "2";
        Shape fc2Shape = Shape.of(dim * pixel, half, 1, 1);
        Tensor fc2Weight = g.parameter(fc2 + ".weight", fc2Shape, Init.kaimingNormalFanOut(fc2Shape));
        Tensor fc2Bias = g.parameter(fc2 + ".bias", Shape.of(dim * pixel), Init.zeros());
        Tensor regionWeight = g.reshape(g.transpose(g.reshape(fc2Weight, dim, pixel, half), 2, 0, 1),
                half, dim, kernelDims[0], kernelDims[1]);
        Tensor biasWeight = g.reshape(fc2Bias, 1, dim, kernelDims[0], kernelDims[1]);
        Tensor y = g.scoped(fc2, () -> g.convTranspose(z, g.concat(0, regionWeight, biasWeight), null, strides, 1));

        return nn.shift(g.cropTo(y, axis, x), axis, -step, Fill.WRAP);
    }

    /**
     * nn.BatchNorm2d(channels) at {@code key} over the first {@code channels} channels of x, whose
     * one extra channel it sets to 1 (scale 0, shift 1) whatever that channel holds.
     */
    private static Tensor batchNormWithOnes(GraphBuilder g, String key, Tensor x, int channels) {
        Shape shape = Shape.of(channels);
        Tensor zero = g.unsqueeze(g.scalar(0f), 0);
        Tensor one = g.unsqueeze(g.scalar(1f), 0);
        return g.scoped(key, () -> g.batchNorm(x,
                g.concat(0, g.parameter(key + ".weight", shape, Init.ones()), zero),
                g.concat(0, g.parameter(key + ".bias", shape, Init.zeros()), one),
                g.concat(0, g.buffer(key + ".running_mean", shape, Init.zeros()), zero),
                g.concat(0, g.buffer(key + ".running_var", shape, Init.ones()), one),
                Layers.NORM_EPSILON));
    }

    /** Conv at {@code key.proj}, BatchNorm at {@code key.norm}, ReLU: the embedding and downsample modules. */
    private static Tensor convBnRelu(Layers nn, String key, Tensor x, Conv2d conv) {
        return nn.relu(nn.batchNorm2d(key + ".norm", nn.conv2d(key + ".proj", x, conv)));
    }
}
