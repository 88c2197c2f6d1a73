package dev.strata.models;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;
import dev.strata.models.onnx.GraphBuilder;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exported model says about itself, stored as the ONNX metadata_props
 * ({@code strata.*} keys) and read back by {@link #read(Path)} without loading the weights.
 *
 * @param weights where the weights came from: "seeded:SEED" or "safetensors:sha256=HEX"
 * @param macs    multiply-accumulates of one image at 224x224
 */
public record ModelMetadata(String arch, String family, int numClasses, List<StageInfo> stages,
                            int defaultInputSize, InputSizeRule inputSizeRule, long params, long macs,
                            String weights) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "strata.";
    private static final String ARCH = PREFIX + "arch";
    private static final String FAMILY = PREFIX + "family";
    private static final String NUM_CLASSES = PREFIX + "num_classes";
    private static final String STAGES = PREFIX + "stages";
    private static final String DEFAULT_INPUT_SIZE = PREFIX + "input_size.default";
    private static final String INPUT_SIZE_RULE = PREFIX + "input_size.rule";
    private static final String PARAMS = PREFIX + "params";
    private static final String MACS = PREFIX + "macs_224";
    private static final String WEIGHTS = PREFIX + "weights";

    public ModelMetadata {
        stages = List.copyOf(stages);
    }

    /** The metadata_props entries, in a stable order. */
    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(ARCH, arch);
        props.put(FAMILY, family);
        props.put(NUM_CLASSES, Integer.toString(numClasses));
        try {
            props.put(STAGES, JSON.writeValueAsString(stages));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode stages " + stages, e);
        }
        props.put(DEFAULT_INPUT_SIZE, Integer.toString(defaultInputSize));
        props.put(INPUT_SIZE_RULE, inputSizeRule.toString());
        props.put(PARAMS, Long.toString(params));
        props.put(MACS, Long.toString(macs));
        props.put(WEIGHTS, weights);
        return props;
    }

    /** Parses {@link #toProperties()}; {@code source} names the file in errors. */
    public static ModelMetadata fromProperties(Map<String, String> props, String source) {
        try {
            return new ModelMetadata(
                    required(props, ARCH, source),
                    required(props, FAMILY, source),
                    Integer.parseInt(required(props, NUM_CLASSES, source)),
                    JSON.readValue(required(props, STAGES, source), new TypeReference<List<StageInfo>>() { }),
                    Integer.parseInt(required(props, DEFAULT_INPUT_SIZE, source)),
                    InputSizeRule.parse(required(props, INPUT_SIZE_RULE, source)),
                    Long.parseLong(required(props, PARAMS, source)),
                    Long.parseLong(required(props, MACS, source)),
                    required(props, WEIGHTS, source));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": malformed strata metadata: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the metadata of an ONNX file. Only the model's top-level fields are decoded; the
     * graph and its weights are skipped, so this is cheap even for large models.
     */
    public static ModelMetadata read(Path onnxFile) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(onnxFile))) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == ModelProto.METADATA_PROPS_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    StringStringEntryProto entry = coded.readMessage(StringStringEntryProto.parser(),
                            ExtensionRegistryLite.getEmptyRegistry());
                    props.put(entry.getKey(), entry.getValue());
                } else {
                    coded.skipField(tag);
                }
            }
        }
        return fromProperties(props, onnxFile.toString());
    }

    private static String required(Map<String, String> props, String key, String source) {
        String value = props.get(key);
        if (value == null) {
            throw new IllegalArgumentException(source + " has no '" + key
                    + "' metadata; it was not exported by " + GraphBuilder.PRODUCER);
        }
        return value;
    }
}
