package dev.strata.processor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.processor.Main;
import dev.strata.processor.testing.TinyModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A smoke run of {@code strata bench} on the tiny model with every section, the soak and the
 * profiler on: it must run to the end and write every section to the JSON. Its speed is not checked.
 */
class BenchCommandIT {

    @TempDir
    Path dir;

    @Test
    void benchRunsEverySectionAndWritesThemAsJson() throws Exception {
        Path json = dir.resolve("bench.json");
        int exit = new CommandLine(new Main()).execute("bench",
                "--onnx", TinyModels.convMlpFile().toString(), "--labels", TinyModels.labelsFile().toString(),
                "--input-size", Integer.toString(TinyModels.INPUT_SIZE), "--frame-size", "96x72",
                "--raw-batches", "1,2", "--raw-rounds", "2", "--raw-round-seconds", "0.05", "--raw-warmup", "1",
                "--settings", "2/10ms", "--frames", "20", "--warmup-seconds", "0", "--latency-seconds", "1",
                "--rate", "20", "--partitions", "2", "--soak", "150", "--sample-seconds", "0.2", "--profile",
                "--work-dir", dir.resolve("work").toString(), "--json", json.toString());

        assertThat(exit).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("command").asText()).startsWith("strata bench --onnx");
        assertThat(report.path("machine").path("cpus").asInt()).isPositive();
        assertThat(report.path("setup").path("frameSize").asText()).isEqualTo("96x72");

        assertThat(report.path("raw")).hasSize(2);
        assertThat(report.path("raw").get(1).path("batch").asInt()).isEqualTo(2);
        assertThat(report.path("raw").get(1).path("imagesPerSecond").path("mean").asDouble()).isPositive();

        JsonNode peer = report.path("perRecord").path("result");
        assertThat(peer.path("peer").asBoolean()).isTrue();
        assertThat(peer.path("problems")).isEmpty();
        assertThat(peer.path("saturated").path("framesPerSecond").asDouble()).isPositive();
        assertThat(peer.path("latency").path("endToEnd").path("p99").asDouble()).isPositive();
        assertThat(peer.path("features").asLong()).isEqualTo(peer.path("labels").asLong());

        JsonNode pipeline = report.path("pipeline").get(0);
        assertThat(pipeline.path("result").path("batchSize").asInt()).isEqualTo(2);
        assertThat(pipeline.path("result").path("problems")).isEmpty();
        assertThat(pipeline.path("vsRaw").asDouble()).isPositive();
        assertThat(pipeline.path("vsPerRecord").asDouble()).isPositive();
        assertThat(pipeline.path("p99BoundMs").asDouble()).isGreaterThan(10);
        assertThat(pipeline.path("targets")).hasSize(3);
        JsonNode saturated = pipeline.path("result").path("saturated");
        assertThat(saturated.path("cpuSeconds").path("inference").asDouble()).isPositive();
        assertThat(saturated.path("profile").path("percentByStage").size()).isPositive();
        assertThat(pipeline.path("result").path("latency").path("publish").path("n").asInt())
                .isEqualTo(pipeline.path("result").path("latency").path("frames").asInt());

        JsonNode soak = report.path("soak");
        assertThat(soak.path("frames").asInt()).isEqualTo(150);
        assertThat(soak.path("samples").size()).isGreaterThanOrEqualTo(2);
        assertThat(soak.path("samples").get(0).path("rssAnon").asDouble()).isPositive();
    }
}
