package dev.strata.models.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Builds an ONNX graph (opset 17, standard ops only) over the OnnxMl protobuf builders.
 *
 * <p>Every returned {@link Tensor} carries its shape at the reference input size given to
 * {@link #input}, computed by this class's own rule for each op. That checks a model while it
 * is described and counts its multiply-accumulates: Conv, MatMul and Gemm nodes add
 * (output elements x reduction size) to {@link #macs()}; norms, activations, elementwise ops and
 * pooling are not counted. The emitted graph itself bakes in no reference size.
 *
 * <p>Initializers are the official state-dict tensors, pulled from a {@link WeightSource}:
 * {@link #parameter} ones count towards {@link #parameterCount()}, {@link #buffer} ones (e.g.
 * BatchNorm running statistics) do not, nor do the constants the builder makes itself.
 */
public final class GraphBuilder {

    public static final int OPSET = 17;
    public static final long IR_VERSION = 8;
    public static final String PRODUCER = "strata-models";

    private final WeightSource weights;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> valueNames = new HashSet<>();
    private final Map<Float, Tensor> scalars = new HashMap<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private boolean shapesOnly;
    private long parameterCount;
    private long macs;
    private int nextId;

    public GraphBuilder(WeightSource weights) {
        this.weights = weights;
    }

    // ---- graph interface ----

    /** Declares a float32 graph input; {@code reference} is its concrete shape for shape rules. */
    public Tensor input(String name, Shape reference, Dim... dims) {
        checkDeclaredDims(name, reference, dims);
        claimName(name);
        graph.addInput(valueInfo(name, dims));
        return new Tensor(name, reference);
    }

    /** Exposes {@code value} as the graph output {@code name}. */
    public void output(String name, Tensor value, Dim... dims) {
        checkDeclaredDims(name, value.shape(), dims);
        claimName(name);
        graph.addNode(NodeProto.newBuilder()
                .setName(name).setOpType("Identity").addInput(value.name()).addOutput(name));
        graph.addOutput(valueInfo(name, dims));
    }

    /** A learnable state-dict tensor, counted in {@link #parameterCount()}. */
    public Tensor parameter(String key, Shape shape, Init init) {
        Tensor tensor = initializer(key, shape, init);
        parameterCount += shape.elementCount();
        return tensor;
    }

    /** A state-dict buffer (e.g. BatchNorm running_mean), not counted as a parameter. */
    public Tensor buffer(String key, Shape shape, Init init) {
        return initializer(key, shape, init);
    }

    /** A float32 scalar constant, shared by all uses of the same value. */
    public Tensor scalar(float value) {
        Tensor existing = scalars.get(value);
        if (existing != null) {
            return existing;
        }
        String name = "const_" + (nextId++);
        claimName(name);
        graph.addInitializer(floatTensor(name, Shape.of(), new float[] {value}));
        Tensor tensor = new Tensor(name, Shape.of());
        scalars.put(value, tensor);
        return tensor;
    }

    /**
     * Runs {@code body} with {@code scope} (e.g. a module's state-dict prefix) in the names of
     * the nodes it emits and in shape errors.
     */
    public <T> T scoped(String scope, Supplier<T> body) {
        scopes.push(scope);
        try {
            return body.get();
        } finally {
            scopes.pop();
        }
    }

    public long parameterCount() {
        return parameterCount;
    }

    /** Multiply-accumulates of one forward pass at the reference input size. */
    public long macs() {
        return macs;
    }

    /** The finished model; {@code metadata} becomes its metadata_props, in order. */
    public ModelProto toModel(String graphName, String description, Map<String, String> metadata) {
        if (shapesOnly) {
            throw new IllegalStateException("graph '" + graphName + "' was built from a shape-only "
                    + "weight source and has no initializer data; build it with real weights to export it");
        }
        if (graph.getOutputCount() == 0) {
            throw new IllegalStateException("graph '" + graphName + "' declares no outputs");
        }
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setDocString(description)
                .setGraph(graph.setName(graphName));
        metadata.forEach((key, value) ->
                model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }

    // ---- convolution and pooling (NCHW) ----

    /** Conv2d with square stride, symmetric padding and groups; weight [M, C/groups, kh, kw]. */
    public Tensor conv(Tensor x, Tensor weight, int stride, int padding, int groups) {
        return conv(x, weight, null, stride, padding, groups);
    }

    /** As {@link #conv(Tensor, Tensor, int, int, int)} with a bias [M]. */
    public Tensor conv(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int groups) {
        return conv(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding, padding, padding}, groups);
    }

    /**
     * Conv2d in full generality: weight [M, C/groups, kh, kw], bias [M] or null, strides
     * {h, w}, pads {top, left, bottom, right}.
     */
    public Tensor conv(Tensor x, Tensor weight, Tensor bias, int[] strides, int[] pads, int groups) {
        Shape in = x.shape();
        Shape w = weight.shape();
        if (in.rank() != 4 || w.rank() != 4 || strides.length != 2 || pads.length != 4) {
            throw error("Conv", "expects NCHW input, a 4-d weight, 2 strides and 4 pads, got " + in + ", " + w
                    + ", " + Arrays.toString(strides) + ", " + Arrays.toString(pads));
        }
        if (in.dim(1) != w.dim(1) * groups || w.dim(0) % groups != 0) {
            throw error("Conv", "input " + in + " does not fit weight " + w + " with groups " + groups);
        }
        checkBias("Conv", bias, w.dim(0));
        Shape out = Shape.of(in.dim(0), w.dim(0),
                windowCount("Conv", in.dim(2), w.dim(2), strides[0], pads[0] + pads[2]),
                windowCount("Conv", in.dim(3), w.dim(3), strides[1], pads[1] + pads[3]));
        macs += out.elementCount() * w.dim(1) * w.dim(2) * w.dim(3);
        return node("Conv", withOptional(x, weight, bias), out,
                ints("kernel_shape", w.dim(2), w.dim(3)),
                ints("strides", strides),
                ints("pads", pads),
                integer("group", groups));
    }

    /**
     * ConvTranspose2d without padding: weight [C, M/groups, kh, kw], bias [M] or null, strides
     * {h, w}; each side becomes (size - 1) * stride + kernel. MACs: input elements x M/groups x kh x kw.
     */
    public Tensor convTranspose(Tensor x, Tensor weight, Tensor bias, int[] strides, int groups) {
        Shape in = x.shape();
        Shape w = weight.shape();
        if (in.rank() != 4 || w.rank() != 4 || strides.length != 2 || in.dim(1) != w.dim(0) || w.dim(0) % groups != 0) {
            throw error("ConvTranspose", "input " + in + " does not fit weight " + w + " with groups " + groups
                    + " and strides " + Arrays.toString(strides));
        }
        int outChannels = w.dim(1) * groups;
        checkBias("ConvTranspose", bias, outChannels);
        Shape out = Shape.of(in.dim(0), outChannels,
                (in.dim(2) - 1) * strides[0] + w.dim(2), (in.dim(3) - 1) * strides[1] + w.dim(3));
        macs += in.elementCount() * w.dim(1) * w.dim(2) * w.dim(3);
        return node("ConvTranspose", withOptional(x, weight, bias), out,
                ints("kernel_shape", w.dim(2), w.dim(3)),
                ints("strides", strides),
                integer("group", groups));
    }

    public Tensor maxPool(Tensor x, int kernel, int stride, int padding) {
        Shape in = x.shape();
        if (in.rank() != 4) {
            throw error("MaxPool", "expects NCHW input, got " + in);
        }
        Shape out = Shape.of(in.dim(0), in.dim(1),
                windowCount("MaxPool", in.dim(2), kernel, stride, 2 * padding),
                windowCount("MaxPool", in.dim(3), kernel, stride, 2 * padding));
        return node("MaxPool", List.of(x.name()), out,
                ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride),
                ints("pads", padding, padding, padding, padding));
    }

    // ---- normalisation ----

    /** Inference-mode BatchNormalization over axis 1; all four statistics tensors are [C]. */
    public Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean, Tensor variance, float epsilon) {
        if (x.rank() < 2) {
            throw error("BatchNormalization", "expects at least [N, C], got " + x.shape());
        }
        Shape channels = Shape.of(x.dim(1));
        for (Tensor t : List.of(scale, bias, mean, variance)) {
            if (!t.shape().equals(channels)) {
                throw error("BatchNormalization", t.name() + " is " + t.shape() + ", expected " + channels
                        + " for input " + x.shape());
            }
        }
        return node("BatchNormalization",
                List.of(x.name(), scale.name(), bias.name(), mean.name(), variance.name()),
                x.shape(), real("epsilon", epsilon));
    }

    /** LayerNormalization over the last axis; scale and bias are [C]. */
    public Tensor layerNorm(Tensor x, Tensor scale, Tensor bias, float epsilon) {
        Shape channels = Shape.of(x.dim(-1));
        if (!scale.shape().equals(channels) || !bias.shape().equals(channels)) {
            throw error("LayerNormalization", "scale " + scale.shape() + " / bias " + bias.shape()
                    + " do not match the last axis of " + x.shape());
        }
        return node("LayerNormalization", List.of(x.name(), scale.name(), bias.name()), x.shape(),
                integer("axis", -1), real("epsilon", epsilon));
    }

    // ---- linear algebra ----

    /** Batched matrix product with numpy broadcasting of the leading axes. */
    public Tensor matMul(Tensor a, Tensor b) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        if (sa.rank() < 2 || sb.rank() < 2 || sa.dim(-1) != sb.dim(-2)) {
            throw error("MatMul", "cannot multiply " + sa + " by " + sb);
        }
        Shape batch = broadcast("MatMul", Shape.of(Arrays.copyOf(sa.toArray(), sa.rank() - 2)),
                Shape.of(Arrays.copyOf(sb.toArray(), sb.rank() - 2)));
        int[] out = Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        out[batch.rank()] = sa.dim(-2);
        out[batch.rank() + 1] = sb.dim(-1);
        Shape result = Shape.of(out);
        macs += result.elementCount() * sa.dim(-1);
        return node("MatMul", List.of(a.name(), b.name()), result);
    }

    /** a [M, K] times b ([K, N], or [N, K] when {@code transposeB}) plus c broadcast to [M, N]. */
    public Tensor gemm(Tensor a, Tensor b, Tensor c, boolean transposeB) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        int k = transposeB ? sb.dim(-1) : sb.dim(0);
        int n = transposeB ? sb.dim(0) : sb.dim(-1);
        if (sa.rank() != 2 || sb.rank() != 2 || sa.dim(1) != k) {
            throw error("Gemm", "cannot multiply " + sa + " by " + sb + (transposeB ? " (transposed)" : ""));
        }
        Shape out = Shape.of(sa.dim(0), n);
        if (!broadcast("Gemm", out, c.shape()).equals(out)) {
            throw error("Gemm", "c " + c.shape() + " does not broadcast to " + out);
        }
        macs += out.elementCount() * k;
        return node("Gemm", List.of(a.name(), b.name(), c.name()), out, integer("transB", transposeB ? 1 : 0));
    }

    // ---- elementwise ----

    public Tensor add(Tensor a, Tensor b) {
        return binary("Add", a, b);
    }

    public Tensor sub(Tensor a, Tensor b) {
        return binary("Sub", a, b);
    }

    public Tensor mul(Tensor a, Tensor b) {
        return binary("Mul", a, b);
    }

    public Tensor div(Tensor a, Tensor b) {
        return binary("Div", a, b);
    }

    public Tensor relu(Tensor x) {
        return node("Relu", List.of(x.name()), x.shape());
    }

    public Tensor erf(Tensor x) {
        return node("Erf", List.of(x.name()), x.shape());
    }

    public Tensor sqrt(Tensor x) {
        return node("Sqrt", List.of(x.name()), x.shape());
    }

    public Tensor softmax(Tensor x, int axis) {
        x.shape().normalizeAxis(axis);
        return node("Softmax", List.of(x.name()), x.shape(), integer("axis", axis));
    }

    // ---- layout ----

    public Tensor transpose(Tensor x, int... perm) {
        Shape in = x.shape();
        if (perm.length != in.rank() || !IntStream.of(perm).sorted().boxed().toList()
                .equals(IntStream.range(0, in.rank()).boxed().toList())) {
            throw error("Transpose", "perm " + Arrays.toString(perm) + " is not a permutation of the axes of " + in);
        }
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = in.dim(perm[i]);
        }
        return node("Transpose", List.of(x.name()), Shape.of(out), ints("perm", perm));
    }

    /**
     * Reshape with ONNX semantics: 0 copies the input's dim at that index, -1 is inferred. Use
     * those for batch and spatial dims so the graph stays size-independent.
     */
    public Tensor reshape(Tensor x, int... dims) {
        Shape in = x.shape();
        int[] out = dims.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                if (i >= in.rank()) {
                    throw error("Reshape", "0 at index " + i + " has no input dim to copy in " + in);
                }
                out[i] = in.dim(i);
            }
            if (out[i] == -1) {
                if (inferred >= 0) {
                    throw error("Reshape", "more than one -1 in " + Arrays.toString(dims));
                }
                inferred = i;
            } else if (out[i] < 0) {
                throw error("Reshape", "invalid target dim " + out[i] + " in " + Arrays.toString(dims));
            } else {
                known *= out[i];
            }
        }
        if (inferred >= 0 && known > 0) {
            out[inferred] = (int) (in.elementCount() / known);
        }
        if (Shape.of(out).elementCount() != in.elementCount()) {
            throw error("Reshape", "cannot reshape " + in + " to " + Arrays.toString(dims));
        }
        return node("Reshape", List.of(x.name(), int64Constant(toLongs(dims))), Shape.of(out));
    }

    public Tensor unsqueeze(Tensor x, int... axes) {
        int rank = x.rank() + axes.length;
        Shape outRank = Shape.of(new int[rank]);
        Set<Integer> inserted = new HashSet<>();
        for (int axis : axes) {
            inserted.add(outRank.normalizeAxis(axis));
        }
        int[] out = new int[rank];
        int next = 0;
        for (int i = 0; i < rank; i++) {
            out[i] = inserted.contains(i) ? 1 : x.dim(next++);
        }
        return node("Unsqueeze", List.of(x.name(), int64Constant(toLongs(axes))), Shape.of(out));
    }

    public Tensor reduceMean(Tensor x, boolean keepDims, int... axes) {
        Set<Integer> reduced = new HashSet<>();
        for (int axis : axes) {
            reduced.add(x.shape().normalizeAxis(axis));
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!reduced.contains(i)) {
                out.add(x.dim(i));
            } else if (keepDims) {
                out.add(1);
            }
        }
        // Opset 17 still takes the axes as an attribute (an input from opset 18).
        return node("ReduceMean", List.of(x.name()), new Shape(out),
                ints("axes", axes), integer("keepdims", keepDims ? 1 : 0));
    }

    /**
     * x[start:end] along one axis; negative indices count from the end, so a slice like
     * (1, -1) stays correct at every input size.
     */
    public Tensor slice(Tensor x, int axis, int start, int end) {
        return slice(x, axis, start, end, 1);
    }

    /** x[start:end:step] along one axis, step >= 1 (e.g. every other row: 0, MAX_VALUE, 2). */
    public Tensor slice(Tensor x, int axis, int start, int end, int step) {
        int size = x.dim(axis);
        int from = clampIndex(start, size);
        int to = clampIndex(end, size);
        if (step < 1 || to <= from) {
            throw error("Slice", "[" + start + ":" + end + ":" + step + "] along axis " + axis + " of " + x.shape()
                    + " is empty or has a non-positive step at the reference size");
        }
        return node("Slice", List.of(x.name(), int64Constant(start), int64Constant(end), int64Constant(axis),
                int64Constant(step)), x.shape().with(axis, (to - from + step - 1) / step));
    }

    /**
     * The entries {@code indices} of a static axis (e.g. channels in a given order), as
     * torch.index_select; the axis becomes indices.length long.
     */
    public Tensor gather(Tensor x, int axis, int... indices) {
        int size = x.dim(axis);
        for (int index : indices) {
            if (index < -size || index >= size) {
                throw error("Gather", "index " + index + " is out of range for axis " + axis + " of " + x.shape());
            }
        }
        return node("Gather", List.of(x.name(), int64Constant(toLongs(indices))),
                x.shape().with(axis, indices.length), integer("axis", axis));
    }

    /** Zero padding of one axis by static amounts. */
    public Tensor padZeros(Tensor x, int axis, int before, int after) {
        int normalized = x.shape().normalizeAxis(axis);
        long[] pads = new long[2 * x.rank()];
        pads[normalized] = before;
        pads[x.rank() + normalized] = after;
        return node("Pad", List.of(x.name(), int64Constant(pads)),
                x.shape().with(axis, x.dim(axis) + before + after), text("mode", "constant"));
    }

    public Tensor concat(int axis, Tensor... parts) {
        Shape first = parts[0].shape();
        int normalized = first.normalizeAxis(axis);
        int total = 0;
        for (Tensor part : parts) {
            if (part.rank() != first.rank() || !part.shape().with(normalized, 0).equals(first.with(normalized, 0))) {
                throw error("Concat", "cannot join " + part.shape() + " to " + first + " along axis " + axis);
            }
            total += part.dim(normalized);
        }
        return node("Concat", Arrays.stream(parts).map(Tensor::name).toList(), first.with(normalized, total),
                integer("axis", axis));
    }

    /**
     * x cut along {@code axis} to the size {@code like} has there at run time (x[..., :n]); for
     * undoing a padding whose amount depends on the input size.
     */
    public Tensor cropTo(Tensor x, int axis, Tensor like) {
        int normalized = x.shape().normalizeAxis(axis);
        if (like.rank() != x.rank() || like.dim(normalized) > x.dim(normalized)) {
            throw error("cropTo", "cannot crop " + x.shape() + " to " + like.shape() + " along axis " + axis);
        }
        Tensor size = node("Shape", List.of(like.name()), Shape.of(1),
                integer("start", normalized), integer("end", normalized + 1));
        return node("Slice", List.of(x.name(), int64Constant(0), size.name(), int64Constant(normalized)),
                x.shape().with(normalized, like.dim(normalized)));
    }

    // ---- internals ----

    private Tensor initializer(String key, Shape shape, Init init) {
        if (valueNames.contains(key)) {
            throw error("initializer", "state-dict key '" + key + "' is declared twice");
        }
        claimName(key);
        weights.load(key, shape, init).ifPresentOrElse(values -> {
            if (values.length != shape.elementCount()) {
                throw error("initializer", "weight source gave " + values.length + " values for '" + key
                        + "' of shape " + shape);
            }
            graph.addInitializer(floatTensor(key, shape, values));
        }, () -> shapesOnly = true);
        return new Tensor(key, shape);
    }

    private Tensor binary(String op, Tensor a, Tensor b) {
        return node(op, List.of(a.name(), b.name()), broadcast(op, a.shape(), b.shape()));
    }

    private Tensor node(String op, List<String> inputs, Shape outShape, AttributeProto... attributes) {
        String scope = scopes.peek();
        String name = (scope == null ? "" : scope + "/") + op + "_" + (nextId++);
        claimName(name);
        graph.addNode(NodeProto.newBuilder().setName(name).setOpType(op)
                .addAllInput(inputs).addOutput(name).addAllAttribute(Arrays.asList(attributes)));
        return new Tensor(name, outShape);
    }

    private Shape broadcast(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw error(op, "shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /** Positions of a sliding window: floor((size + padding - kernel) / stride) + 1. */
    private int windowCount(String op, int size, int kernel, int stride, int totalPadding) {
        int out = Math.floorDiv(size + totalPadding - kernel, stride) + 1;
        if (out < 1) {
            throw error(op, "kernel " + kernel + " does not fit size " + size + " with padding " + totalPadding);
        }
        return out;
    }

    private void checkBias(String op, Tensor bias, int channels) {
        if (bias != null && !bias.shape().equals(Shape.of(channels))) {
            throw error(op, "bias " + bias.shape() + " does not match " + channels + " output channels");
        }
    }

    private static List<String> withOptional(Tensor x, Tensor weight, Tensor bias) {
        return bias == null ? List.of(x.name(), weight.name()) : List.of(x.name(), weight.name(), bias.name());
    }

    private static int clampIndex(int index, int size) {
        int resolved = index < 0 ? index + size : index;
        return Math.max(0, Math.min(size, resolved));
    }

    private String int64Constant(long... values) {
        String name = "const_" + (nextId++);
        claimName(name);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length)
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array())));
        return name;
    }

    private static TensorProto floatTensor(String name, Shape shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(Arrays.stream(shape.toLongArray()).boxed().toList())
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array()))
                .build();
    }

    private static ValueInfoProto valueInfo(String name, Dim... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim dim : dims) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim.isFixed()) {
                d.setDimValue(dim.size());
            } else if (dim.symbol() != null) {
                d.setDimParam(dim.symbol());
            }
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    private void checkDeclaredDims(String name, Shape reference, Dim... dims) {
        if (dims.length != reference.rank()) {
            throw error("declare " + name, dims.length + " dims declared for a value of shape " + reference);
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i].isFixed() && dims[i].size() != reference.dim(i)) {
                throw error("declare " + name, "dim " + i + " declared " + dims[i].size()
                        + " but the value is " + reference);
            }
        }
    }

    private void claimName(String name) {
        if (!valueNames.add(name)) {
            throw error("name", "'" + name + "' is already used in the graph");
        }
    }

    private IllegalArgumentException error(String op, String message) {
        String scope = scopes.peek();
        return new IllegalArgumentException((scope == null ? "" : scope + ": ") + op + ": " + message);
    }

    private static long[] toLongs(int... values) {
        return IntStream.of(values).asLongStream().toArray();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto text(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    private static AttributeProto ints(String name, int... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(IntStream.of(values).asLongStream().boxed().toList()).build();
    }
}
