package dev.strata.models.convmlp;

import dev.strata.models.Architecture;
import dev.strata.models.BackboneOutputs;
import dev.strata.models.InputSizeRule;
import dev.strata.models.ReferenceFigures;
import dev.strata.models.Variant;
import dev.strata.models.layers.Conv2d;
import dev.strata.models.layers.Layers;
import dev.strata.models.layers.Layout;
import dev.strata.models.onnx.GraphBuilder;
import dev.strata.models.onnx.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * ConvMLP (Li et al., "ConvMLP: Hierarchical Convolutional MLPs for Vision"), as in the official
 * SHI-Labs/Convolutional-MLPs code: a convolutional tokenizer, a convolutional stage, then
 * channels-last stages of MLP blocks joined by depthwise convs, and a LayerNorm + mean head.
 * Stage outputs follow its detection backbone: tokenizer (stride 4), conv stage (8), stages.0
 * with its downsample (16), last stage (32). Any input size works.
 */
public record ConvMlp(String name, Config config) implements Architecture {

    /** The official constructor arguments (blocks, dims, mlp_ratios, channels, n_conv_blocks). */
    public record Config(List<Integer> blocks, List<Integer> dims, List<Integer> mlpRatios, int channels,
                         int convBlocks) {

        public Config {
            blocks = List.copyOf(blocks);
            dims = List.copyOf(dims);
            mlpRatios = List.copyOf(mlpRatios);
            if (blocks.size() != dims.size() || dims.size() != mlpRatios.size() || blocks.size() < 2) {
                throw new IllegalArgumentException("blocks, dims and mlp_ratios must have the same length (at "
                        + "least 2), got " + blocks + ", " + dims + ", " + mlpRatios);
            }
        }
    }

    public static final ConvMlp S = new ConvMlp("ConvMLP-S",
            new Config(List.of(2, 4, 2), List.of(128, 256, 512), List.of(2, 2, 2), 64, 2));
    public static final ConvMlp M = new ConvMlp("ConvMLP-M",
            new Config(List.of(3, 6, 3), List.of(128, 256, 512), List.of(3, 3, 3), 64, 3));
    public static final ConvMlp L = new ConvMlp("ConvMLP-L",
            new Config(List.of(4, 8, 3), List.of(192, 384, 768), List.of(3, 3, 3), 96, 3));

    /** The catalogued variants with the figures of shared/MODELS.md. */
    public static List<Variant> variants() {
        return List.of(
                new Variant(S, new ReferenceFigures(9_022_920, 2.385, 9.0, 2.4, 76.8)),
                new Variant(M, new ReferenceFigures(17_410_504, 3.929, 17.4, 3.9, 79.0)),
                new Variant(L, new ReferenceFigures(42_728_440, 9.870, 42.7, 9.9, 80.2)));
    }

    @Override
    public String family() {
        return "convmlp";
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.any();
    }

    @Override
    public BackboneOutputs define(GraphBuilder g, Tensor image, int numClasses) {
        Layers nn = new Layers(g);
        List<Tensor> stageOutputs = new ArrayList<>();

        Tensor x = tokenizer(nn, image);
        stageOutputs.add(x);
        x = convStage(nn, x);
        stageOutputs.add(x);

        x = nn.toNhwc(x);
        int lastStage = config.blocks().size() - 1;
        for (int i = 0; i <= lastStage; i++) {
            x = mlpStage(nn, i, x);
            if (i == 0 || i == lastStage) {
                stageOutputs.add(nn.toNchw(x));
            }
        }

        // The official head normalises every position before averaging them.
        Tensor pooled = nn.meanOverPositions(nn.layerNorm("norm", x), Layout.NHWC);
        return new BackboneOutputs(nn.linear("head", pooled, numClasses), stageOutputs);
    }

    /** Three conv-BN-ReLU (the first with stride 2) and a stride-2 max pool: stride 4. */
    private Tensor tokenizer(Layers nn, Tensor x) {
        int half = config.channels() / 2;
        x = convBnRelu(nn, "tokenizer.block", 0, x, Conv2d.of(half, 3).stride(2).padding(1).noBias());
        x = convBnRelu(nn, "tokenizer.block", 3, x, Conv2d.of(half, 3).padding(1).noBias());
        x = convBnRelu(nn, "tokenizer.block", 6, x, Conv2d.of(config.channels(), 3).padding(1).noBias());
        return nn.maxPool(x, 3, 2, 1);
    }

    /** Residual bottleneck blocks x + f(x), then a stride-2 conv to dims[0]. */
    private Tensor convStage(Layers nn, Tensor x) {
        int hidden = config.dims().get(0);
        for (int i = 0; i < config.convBlocks(); i++) {
            String block = "conv_stages.conv_blocks." + i;
            Tensor f = convBnRelu(nn, block, 0, x, Conv2d.of(hidden, 1).noBias());
            f = convBnRelu(nn, block, 3, f, Conv2d.of(hidden, 3).padding(1).noBias());
            f = convBnRelu(nn, block, 6, f, Conv2d.of(config.channels(), 1).noBias());
            x = nn.graph().add(x, f);
        }
        return nn.conv2d("conv_stages.downsample", x, Conv2d.of(hidden, 3).stride(2).padding(1));
    }

    /** Channels-last blocks, then (all stages but the last) a stride-2 conv to the next width. */
    private Tensor mlpStage(Layers nn, int index, Tensor x) {
        String stage = "stages." + index;
        int hidden = config.dims().get(index) * config.mlpRatios().get(index);
        for (int j = 0; j < config.blocks().get(index); j++) {
            x = block(nn, stage + ".blocks." + j, x, hidden);
        }
        if (index + 1 == config.blocks().size()) {
            return x;
        }
        Conv2d downsample = Conv2d.of(config.dims().get(index + 1), 3).stride(2).padding(1);
        return nn.toNhwc(nn.conv2d(stage + ".downsample_mlp.downsample", nn.toNchw(x), downsample));
    }

    /** x + MLP1(LN1(x)); DWConv3x3(LN_c(x)) with no residual; x + MLP2(LN2(x)). */
    private static Tensor block(Layers nn, String key, Tensor x, int hidden) {
        GraphBuilder g = nn.graph();
        int dim = x.dim(-1);
        x = g.add(x, nn.channelMlp(key + ".channel_mlp1", nn.layerNorm(key + ".norm1", x), hidden, Layout.NHWC));
        Tensor connect = nn.toNchw(nn.layerNorm(key + ".connect_norm", x));
        x = nn.toNhwc(nn.conv2d(key + ".connect", connect, Conv2d.depthwise(dim, 3).padding(1).noBias()));
        return g.add(x, nn.channelMlp(key + ".channel_mlp2", nn.layerNorm(key + ".norm2", x), hidden, Layout.NHWC));
    }

    /** Conv at {@code prefix.index}, BatchNorm at {@code prefix.(index+1)}, ReLU: an nn.Sequential slice. */
    private static Tensor convBnRelu(Layers nn, String prefix, int index, Tensor x, Conv2d conv) {
        Tensor y = nn.conv2d(prefix + "." + index, x, conv);
        return nn.relu(nn.batchNorm2d(prefix + "." + (index + 1), y));
    }
}
