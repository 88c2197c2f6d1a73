package dev.strata.models;

import dev.strata.models.OrtRunner.Values;
import dev.strata.models.weights.Safetensors;
import dev.strata.models.weights.SafetensorsTensor;
import dev.strata.models.weights.SafetensorsWeights;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a family against its reference fixture (test resources {@code fixtures/<family>/}, made
 * by running the official PyTorch code): loads {@code weights.safetensors} by the official
 * state-dict names, exports the architecture with the fixture's class count, runs
 * {@code io.safetensors}'s input with ONNX Runtime and compares logits and every stage output.
 * A family's parity test is one call: {@code ParityHarness.assertMatchesFixture("convmlp", arch)}.
 */
public final class ParityHarness {

    public static final float TOLERANCE = 1e-4f;

    private ParityHarness() {
    }

    /** Asserts max abs error <= {@link #TOLERANCE} for every output; returns the errors by output name. */
    public static Map<String, Float> assertMatchesFixture(String family, Architecture arch, Path workDir)
            throws IOException {
        Path fixture = resource("fixtures/" + family);
        Map<String, SafetensorsTensor> io = Safetensors.read(fixture.resolve("io.safetensors"));
        int numClasses = io.get(ModelExporter.LOGITS).shape().dim(1);
        ExportedModel model = ModelExporter.export(arch, numClasses,
                SafetensorsWeights.open(fixture.resolve("weights.safetensors")));

        SafetensorsTensor input = io.get(ModelExporter.INPUT);
        Map<String, Values> actual = OrtRunner.run(model, workDir, new Values(input.shape(), input.toFloats()));

        List<String> expectedOutputs = new ArrayList<>(io.keySet());
        expectedOutputs.remove(ModelExporter.INPUT);
        assertThat(actual.keySet()).as("graph outputs of %s", arch.name())
                .containsExactlyInAnyOrderElementsOf(expectedOutputs);
        Map<String, Float> errors = new java.util.LinkedHashMap<>();
        for (String name : expectedOutputs) {
            SafetensorsTensor expected = io.get(name);
            Values got = actual.get(name);
            assertThat(got.shape()).as("%s shape of %s", name, arch.name()).isEqualTo(expected.shape());
            errors.put(name, maxAbsDifference(expected.toFloats(), got.data()));
        }
        System.out.printf("parity %s (%s): max abs error %s%n", arch.name(), family, errors);
        assertThat(errors).as("max abs error per output of %s vs the %s fixture", arch.name(), family)
                .allSatisfy((name, error) -> assertThat(error).as(name).isLessThanOrEqualTo(TOLERANCE));
        return errors;
    }

    public static Path resource(String name) {
        URL url = ParityHarness.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource '" + name + "' is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource URL " + url, e);
        }
    }

    private static float maxAbsDifference(float[] expected, float[] actual) {
        float max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
