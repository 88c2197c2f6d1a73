package dev.strata.models.asmlp;

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
 * AS-MLP (Lian et al., "AS-MLP: An Axial Shifted MLP Architecture for Vision"), as in the official
 * svip-lab/AS-MLP code: a 4x4 patch embedding, then layers of axial-shifted blocks joined by patch
 * merging, NCHW throughout, every norm GroupNorm(1, C). Stage outputs are each layer's last
 * block, before its patch merging (strides 4, 8, 16, 32). Every merging halves H and W, so
 * they must be multiples of 4 * 2^(layers - 1).
 */
public record AsMlp(String name, Config config) implements Architecture {

    private static final int PATCH_SIZE = 4;

    /** The official constructor arguments (embed_dim, depths, shift_size, mlp_ratio). */
    public record Config(int embedDim, List<Integer> depths, int shiftSize, int mlpRatio) {

        public Config {
            depths = List.copyOf(depths);
            if (embedDim < 1 || depths.isEmpty() || shiftSize < 1 || mlpRatio < 1) {
                throw new IllegalArgumentException("invalid AS-MLP config: embed_dim " + embedDim + ", depths "
                        + depths + ", shift_size " + shiftSize + ", mlp_ratio " + mlpRatio);
            }
        }

        /** The official defaults for the rest: mlp_ratio 4. */
        public Config(int embedDim, List<Integer> depths, int shiftSize) {
            this(embedDim, depths, shiftSize, 4);
        }
    }

    public static final AsMlp T = new AsMlp("AS-MLP-T", new Config(96, List.of(2, 2, 6, 2), 5));
    public static final AsMlp S = new AsMlp("AS-MLP-S", new Config(96, List.of(2, 2, 18, 2), 5));
    public static final AsMlp B = new AsMlp("AS-MLP-B", new Config(128, List.of(2, 2, 18, 2), 5));

    /** The catalogued variants with the figures of shared/MODELS.md. */
    public static List<Variant> variants() {
        return List.of(
                new Variant(T, new ReferenceFigures(28_282_696, 4.350, 28, 4.4, 81.3)),
                new Variant(S, new ReferenceFigures(49_594_696, 8.512, 50, 8.5, 83.1)),
                new Variant(B, new ReferenceFigures(87_752_808, 15.126, 88, 15.2, 83.3)));
    }

    @Override
    public String family() {
        return "asmlp";
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.multipleOf(PATCH_SIZE << (config.depths().size() - 1));
    }

    @Override
    public BackboneOutputs define(GraphBuilder g, Tensor image, int numClasses) {
        Layers nn = new Layers(g);
        List<Tensor> stageOutputs = new ArrayList<>();

        Tensor x = nn.conv2d("patch_embed.proj", image, Conv2d.of(config.embedDim(), PATCH_SIZE).stride(PATCH_SIZE));
        x = nn.groupNorm1("patch_embed.norm", x);

        int lastLayer = config.depths().size() - 1;
        for (int i = 0; i <= lastLayer; i++) {
            String layer = "layers." + i;
            for (int j = 0; j < config.depths().get(i); j++) {
                x = block(nn, layer + ".blocks." + j, x);
            }
            stageOutputs.add(x);
            if (i < lastLayer) {
                x = patchMerging(nn, layer + ".downsample", x);
            }
        }

        Tensor pooled = nn.meanOverPositions(nn.groupNorm1("norm", x), Layout.NCHW);
        return new BackboneOutputs(nn.linear("head", pooled, numClasses), stageOutputs);
    }

    /** x + AxialShift(GN1(x)); x + MLP(GN2(x)), the MLP as 1x1 convs. */
    private Tensor block(Layers nn, String key, Tensor x) {
        GraphBuilder g = nn.graph();
        x = g.add(x, axialShift(nn, key + ".axial_shift", nn.groupNorm1(key + ".norm1", x)));
        Tensor mlp = nn.channelMlp(key + ".mlp", nn.groupNorm1(key + ".norm2", x), config.mlpRatio() * x.dim(1),
                Layout.NCHW);
        return g.add(x, mlp);
    }

    /**
     * GELU(GN(conv1(x))) shifted along W and, separately, along H, each through its 1x1 conv and
     * GELU; their sum goes through GN and conv3.
     */
    private Tensor axialShift(Layers nn, String key, Tensor x) {
        GraphBuilder g = nn.graph();
        int dim = x.dim(1);
        int shiftSize = config.shiftSize();
        Tensor y = nn.gelu(nn.groupNorm1(key + ".norm1", nn.conv2d(key + ".conv1", x, Conv2d.of(dim, 1))));
        Tensor leftRight = shift(g, y, shiftSize, Layout.NCHW.widthAxis());
        leftRight = nn.gelu(nn.conv2d(key + ".conv2_1", leftRight, Conv2d.of(dim, 1)));
        Tensor topDown = shift(g, y, shiftSize, Layout.NCHW.heightAxis());
        topDown = nn.gelu(nn.conv2d(key + ".conv2_2", topDown, Conv2d.of(dim, 1)));
        Tensor mixed = nn.groupNorm1(key + ".norm2", g.add(leftRight, topDown));
        return nn.conv2d(key + ".conv3", mixed, Conv2d.of(dim, 1));
    }

    /**
     * The official shift of NCHW {@code y} along {@code axis}: the channels in chunks of
     * ceil(C / shiftSize) as torch.chunk makes them (the last one smaller, and fewer than shiftSize
     * chunks, when that does not divide C); chunk k is read at offset shiftSize // 2 - k
     * (out[p] = in[p + offset]), zero outside. As the official code, pads once and slices each
     * chunk's window: its length is the input's at every size, even a side shorter than the shift.
     */
    static Tensor shift(GraphBuilder g, Tensor y, int shiftSize, int axis) {
        int half = shiftSize / 2;
        int channels = y.dim(1);
        int chunk = (channels + shiftSize - 1) / shiftSize;
        Tensor padded = g.padZeros(y, axis, half, half);
        List<Tensor> windows = new ArrayList<>();
        for (int k = 0; k * chunk < channels; k++) {
            Tensor group = g.slice(padded, 1, k * chunk, Math.min(channels, (k + 1) * chunk));
            windows.add(g.slice(group, axis, 2 * half - k, k == 0 ? Integer.MAX_VALUE : -k));
        }
        return g.concat(1, windows.toArray(Tensor[]::new));
    }

    /** Concat of x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2] on channels, GN, 1x1 conv to 2C. */
    private static Tensor patchMerging(Layers nn, String key, Tensor x) {
        GraphBuilder g = nn.graph();
        int channels = x.dim(1);
        Tensor evenRows = g.slice(x, 2, 0, Integer.MAX_VALUE, 2);
        Tensor oddRows = g.slice(x, 2, 1, Integer.MAX_VALUE, 2);
        Tensor merged = g.concat(1,
                everyOtherColumn(g, evenRows, 0), everyOtherColumn(g, oddRows, 0),
                everyOtherColumn(g, evenRows, 1), everyOtherColumn(g, oddRows, 1));
        return nn.conv2d(key + ".reduction", nn.groupNorm1(key + ".norm", merged), Conv2d.of(2 * channels, 1).noBias());
    }

    private static Tensor everyOtherColumn(GraphBuilder g, Tensor x, int start) {
        return g.slice(x, 3, start, Integer.MAX_VALUE, 2);
    }
}
