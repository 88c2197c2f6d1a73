package dev.strata.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.testing.TinyModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code strata run} refuses to start on bad settings: an exit code and one line, no stack trace. */
class RunCommandTest {

    @TempDir
    Path dir;

    private record Result(int exitCode, String err) {
    }

    private Result run(String config) throws IOException {
        Path file = Files.writeString(dir.resolve("strata.conf"), config);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Result(cli.execute("run", "--config", file.toString()), err.toString());
    }

    private static void assertOneLine(Result result, int exitCode, String... parts) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.err().lines()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("strata: ").contains(parts).doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "strata.batch.size = 0 | Invalid setting strata.batch.size = 0 (from",
            "strata.batch.max-delay = -5ms | Invalid setting strata.batch.max-delay = '-5ms'",
            "strata.model.arch = resnet-50 | Invalid setting strata.model.arch = 'resnet-50'",
            "strata.model.engine = tflite | Invalid setting strata.model.engine = 'tflite'",
            "strata.batch.inference-budget = 20s | strata.batch.max-block (8000 ms) must be at least "
                    + "strata.batch.inference-budget (20000 ms)",
            "strata.kafka.max.poll.interval.ms = 12000 | strata.batch.max-block (8000 ms) must stay under half of "
                    + "max.poll.interval.ms",
            "strata.kafka.producer.acks = maybe | Invalid Kafka setting under strata.kafka: Invalid value maybe for "
                    + "configuration acks",
            "strata.batch.sise = 8 | Unknown setting(s) strata.batch.sise"})
    void anInvalidSettingExitsWithCode2AndOneLineNamingIt(String setting, String message) throws IOException {
        assertOneLine(run(setting + "\n"), RunCommand.EXIT_INVALID, message);
    }

    @Test
    void aMissingConfigFileIsNamed() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("run", "--config", dir.resolve("absent.conf").toString());

        assertOneLine(new Result(code, err.toString()), RunCommand.EXIT_INVALID, "absent.conf does not exist");
    }

    @Test
    void aModelThatCannotLoadExitsWithCode2() throws IOException {
        Path notAModel = Files.writeString(dir.resolve("broken.onnx"), "not a protobuf");

        assertOneLine(run("strata.model.path = \"" + notAModel + "\"\n"), RunCommand.EXIT_INVALID, "broken.onnx");
    }

    @Test
    void aBusyHttpPortExitsWithCode2BeforeTheModelLoads() throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            Result result = run("strata.model.path = \"" + TinyModels.convMlpFile() + "\"\n"
                    + "strata.model.input-size = " + TinyModels.INPUT_SIZE + "\n"
                    + "strata.model.labels = \"" + TinyModels.labelsFile() + "\"\n"
                    + "strata.http.port = " + busy.getLocalPort() + "\n"
                    + "strata.kafka.bootstrap.servers = \"127.0.0.1:9\"\n"
                    + "strata.kafka.state.dir = \"" + dir.resolve("state") + "\"\n");

            assertOneLine(result, RunCommand.EXIT_INVALID,
                    "strata: cannot serve HTTP on port " + busy.getLocalPort() + " (strata.http.port)");
        }
    }
}
