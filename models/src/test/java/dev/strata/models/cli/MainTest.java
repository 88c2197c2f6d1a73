package dev.strata.models.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.strata.models.ModelMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void listPrintsEveryVariantWithComputedAndOfficialFigures() {
        Run list = run("list");

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("ConvMLP-S", "ConvMLP-M", "ConvMLP-L", "9,022,920", "42,728,440", "80.2",
                "4:64 8:128 16:256 32:512");
    }

    @Test
    void exportThenInfoRoundTrip() throws IOException {
        Path model = dir.resolve("convmlp-s.onnx");

        Run export = run("export", "--arch", "convmlp-s", "--seed", "5", "--num-classes", "10", "--out", model.toString());
        Run info = run("info", model.toString());

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).contains("ConvMLP-S", "seeded:5");
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.out()).contains("ConvMLP-S (convmlp)", "classes      10", "seeded:5",
                "stage4 [batch, 512, h, w], stride 32", String.format("%,d", ModelMetadata.read(model).params()));
    }

    @Test
    void seededWeightsWrittenAsSafetensorsExportToTheSameGraph() throws IOException {
        Path weights = dir.resolve("w.safetensors");
        Path fromFile = dir.resolve("from-file.onnx");
        Path seeded = dir.resolve("seeded.onnx");

        assertThat(run("init-weights", "--arch", "ConvMLP-S", "--seed", "9", "--out", weights.toString()).exitCode()).isZero();
        Run export = run("export", "--arch", "ConvMLP-S", "--weights", weights.toString(), "--out", fromFile.toString());
        assertThat(run("export", "--arch", "ConvMLP-S", "--seed", "9", "--out", seeded.toString()).exitCode()).isZero();

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(ModelMetadata.read(fromFile).weights()).startsWith("safetensors:sha256=");
        assertThat(initializers(fromFile)).isEqualTo(initializers(seeded));
    }

    @Test
    void errorsAreOneLineWithANonZeroExitCode() {
        Run unknown = run("export", "--arch", "ResNet-50", "--out", dir.resolve("x.onnx").toString());
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).startsWith("error: unknown architecture 'ResNet-50'").doesNotContain("\tat ");

        Run both = run("export", "--arch", "ConvMLP-S", "--seed", "1", "--weights", "w.safetensors",
                "--out", dir.resolve("y.onnx").toString());
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("mutually exclusive");
    }

    private static List<TensorProto> initializers(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelProto.parseFrom(in).getGraph().getInitializerList();
        }
    }
}
