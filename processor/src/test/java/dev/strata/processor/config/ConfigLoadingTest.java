package dev.strata.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import dev.strata.processor.frame.FrameLimits;
import dev.strata.processor.output.FeatureFormat;
import dev.strata.processor.output.FeaturePrecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoadingTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static StrataConfig load(Map<String, String> env) {
        return StrataConfig.load(Optional.empty(), env);
    }

    private StrataConfig load(String hocon, Map<String, String> env) throws IOException {
        return StrataConfig.load(Optional.of(file("strata.conf", hocon)), env);
    }

    @Test
    void defaultsAreThoseOfReferenceConf() {
        StrataConfig config = load(Map.of());

        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.kafka().applicationId()).isEqualTo("strata");
        assertThat(config.kafka().processingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(config.kafka().maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.kafka().producerMaxRequestSize()).isEqualTo(20 << 20);
        assertThat(config.topics()).isEqualTo(new Topics("frames", "frames.labels", "frames.features", "frames.dlq",
                "frames.events"));
        assertThat(config.batch()).isEqualTo(new BatchSettings(8, Duration.ofMillis(20), 64, Duration.ofSeconds(8),
                Duration.ofSeconds(5), OverloadPolicy.BLOCK, Optional.empty(), 2));
        assertThat(config.model()).isEqualTo(new ModelSettings(new ModelSource.Catalog("convmlp-s"), Optional.empty(),
                42, Engine.ONNXRUNTIME, Device.CPU, 224, Optional.empty(), 0, false,
                new TensorRtSettings(true, 32, Path.of("trt-cache")), GpuProvider.TENSORRT));
        assertThat(config.frame()).isEqualTo(new FrameLimits(16 << 20, 40_000_000, 16_384));
        assertThat(config.output()).isEqualTo(new OutputSettings(5, new FeatureSettings(true, FeatureFormat.BINARY,
                FeaturePrecision.FLOAT16, 0, List.of())));
        assertThat(config.http().port()).isEqualTo(8080);
    }

    @Test
    void kafkaDefaultsSuitImages() {
        Map<String, String> props = load(Map.of()).kafka().properties();

        assertThat(props).contains(
                entry("bootstrap.servers", "localhost:9092"),
                entry("application.id", "strata"),
                entry("processing.guarantee", "at_least_once"),
                entry("poll.ms", "10"),
                entry("commit.interval.ms", "1000"),
                entry("buffered.records.per.partition", "100"),
                entry("max.poll.interval.ms", "300000"),
                entry("producer.max.request.size", "20971520"),
                entry("producer.compression.type", "lz4"),
                entry("producer.linger.ms", "5"),
                entry("consumer.max.partition.fetch.bytes", "16777216"),
                entry("consumer.fetch.max.bytes", "67108864"),
                entry("main.consumer.internal.leave.group.on.close", "true"),
                entry("topic.max.message.bytes", "20971520"));
        assertThat(load(Map.of()).kafka().toProperties()).containsAllEntriesOf(props);
    }

    @Test
    void exactlyOnceKeepsKafkaStreamsOwnCommitInterval() {
        KafkaSettings kafka = load(Map.of("STRATA_KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2")).kafka();

        assertThat(kafka.processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(kafka.properties()).doesNotContainKey("commit.interval.ms");
    }

    @Test
    void anExplicitCommitIntervalIsKept() {
        assertThat(load(Map.of("STRATA_KAFKA_COMMIT_INTERVAL_MS", "250")).kafka().properties())
                .containsEntry("commit.interval.ms", "250");
    }

    @Test
    void theUserFileOverridesDefaultsAndTheEnvironmentOverridesTheFile() throws IOException {
        String hocon = "strata.batch { size = 16, max-delay = 50ms }\nstrata.model.seed = 7\n";

        StrataConfig fileOnly = load(hocon, Map.of());
        StrataConfig both = load(hocon, Map.of("STRATA_BATCH_SIZE", "4"));

        assertThat(fileOnly.batch().size()).isEqualTo(16);
        assertThat(fileOnly.batch().maxDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(fileOnly.model().seed()).isEqualTo(7);
        assertThat(both.batch().size()).isEqualTo(4);
        assertThat(both.batch().maxDelay()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void everySettingHasItsOwnEnvironmentVariable() {
        ConfigObject strata = ConfigFactory.parseResources("reference.conf").getObject("strata");
        List<String> paths = new ArrayList<>();
        collect(strata, "strata", paths);
        Map<String, String> seen = new HashMap<>();

        for (String path : paths) {
            String variable = ConfigLoader.environmentVariable(path);
            assertThat(seen.put(variable, path)).as("%s and another setting share %s", path, variable).isNull();
        }
        assertThat(seen).containsEntry("STRATA_BATCH_MAX_DELAY", "strata.batch.max-delay")
                .containsEntry("STRATA_MODEL_TENSORRT_ENGINE_CACHE_DIR", "strata.model.tensorrt.engine-cache-dir")
                .hasSizeGreaterThan(30);
    }

    private static void collect(ConfigObject object, String prefix, List<String> paths) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = prefix + "." + e.getKey();
            if (path.equals("strata.kafka")) {
                continue;
            }
            if (e.getValue() instanceof ConfigObject child) {
                collect(child, path, paths);
            } else {
                paths.add(path);
            }
        }
    }

    @Test
    void environmentVariablesReachEverySection() throws IOException {
        Path onnx = file("mine.onnx", "not really onnx, but a readable file");
        Map<String, String> env = new HashMap<>();
        env.put("STRATA_TOPICS_FRAMES", "cams");
        env.put("STRATA_BATCH_MAX_DELAY", "50ms");
        env.put("STRATA_BATCH_OVERLOAD_POLICY", "drop-oldest");
        env.put("STRATA_BATCH_STALENESS", "2s");
        env.put("STRATA_MODEL_PATH", onnx.toString());
        env.put("STRATA_MODEL_ENGINE", "tensorrt");
        env.put("STRATA_MODEL_DEVICE", "gpu:1");
        env.put("STRATA_MODEL_TENSORRT_FP16", "false");
        env.put("STRATA_FRAME_MAX_BYTES", "1MiB");
        env.put("STRATA_OUTPUT_TOP_K", "3");
        env.put("STRATA_OUTPUT_FEATURES_FORMAT", "json");
        env.put("STRATA_OUTPUT_FEATURES_PRECISION", "float32");
        env.put("STRATA_OUTPUT_FEATURES_GRID", "2");
        env.put("STRATA_OUTPUT_FEATURES_STAGES", "0, 3");
        env.put("STRATA_HTTP_PORT", "0");

        StrataConfig config = load(env);

        assertThat(config.topics().frames()).isEqualTo("cams");
        assertThat(config.batch().maxDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.batch().overloadPolicy()).isEqualTo(OverloadPolicy.DROP_OLDEST);
        assertThat(config.batch().staleness()).contains(Duration.ofSeconds(2));
        assertThat(config.model().source()).isEqualTo(new ModelSource.OnnxFile(onnx));
        assertThat(config.model().source().name()).isEqualTo("mine");
        assertThat(config.model().engine()).isEqualTo(Engine.TENSORRT);
        assertThat(config.model().device()).isEqualTo(new Device(true, 1));
        assertThat(config.model().tensorRt().fp16()).isFalse();
        assertThat(config.frame().maxBytes()).isEqualTo(1 << 20);
        assertThat(config.output()).isEqualTo(new OutputSettings(3, new FeatureSettings(true, FeatureFormat.JSON,
                FeaturePrecision.FLOAT32, 2, List.of(0, 3))));
        assertThat(config.http().port()).isZero();
    }

    @Test
    void anEmptyListVariableClearsTheList() throws IOException {
        StrataConfig config = load("strata.output.features.stages = [1]", Map.of("STRATA_OUTPUT_FEATURES_STAGES", ""));

        assertThat(config.output().features().stages()).isEmpty();
    }

    @Test
    void theFileMayComeFromStrataConfig() throws IOException {
        Path conf = file("from-env.conf", "strata.http.port = 9999");

        assertThat(load(Map.of("STRATA_CONFIG", conf.toString())).http().port()).isEqualTo(9999);
    }

    @Test
    void aPropertiesFileWorksToo() throws IOException {
        Path props = file("strata.properties", "strata.batch.size=3\nstrata.kafka.bootstrap.servers=kafka:9092\n");

        StrataConfig config = StrataConfig.load(Optional.of(props), Map.of());

        assertThat(config.batch().size()).isEqualTo(3);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
    }

    @Test
    void substitutionsInTheFileSeeTheGivenEnvironment() throws IOException {
        String hocon = "brokers = \"fallback:9092\"\nbrokers = ${?MY_BROKERS}\nstrata.kafka.bootstrap.servers = ${brokers}";

        assertThat(load(hocon, Map.of("MY_BROKERS", "env:9092")).kafka().bootstrapServers()).isEqualTo("env:9092");
        assertThat(load(hocon, Map.of()).kafka().bootstrapServers()).isEqualTo("fallback:9092");
    }

    @Test
    void anyKafkaPropertyPassesThroughFromFileAndEnvironment() throws IOException {
        String hocon = "strata.kafka {\n"
                + "  max.poll.records = 50\n"
                + "  \"client.id\" = \"cam-tagger\"\n"
                + "  bootstrap.servers = [\"a:9092\", \"b:9092\"]\n"
                + "  producer.linger.ms = null\n"
                + "  producer.acks = \"1\"\n"
                + "}\n";
        Map<String, String> env = Map.of(
                "STRATA_KAFKA_PRODUCER_ACKS", "all",
                "STRATA_KAFKA_RACK_AWARE_ASSIGNMENT_TRAFFIC__COST", "10",
                "STRATA_KAFKA_MAIN_CONSUMER_MAX_POLL_INTERVAL_MS", "600000");

        KafkaSettings kafka = load(hocon, env).kafka();

        assertThat(kafka.properties()).contains(
                entry("max.poll.records", "50"),
                entry("client.id", "cam-tagger"),
                entry("bootstrap.servers", "a:9092,b:9092"),
                entry("producer.acks", "all"),
                entry("rack.aware.assignment.traffic_cost", "10"),
                entry("main.consumer.max.poll.interval.ms", "600000"));
        assertThat(kafka.properties()).doesNotContainKey("producer.linger.ms");
        assertThat(kafka.bootstrapServers()).isEqualTo("a:9092,b:9092");
        assertThat(kafka.maxPollInterval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void credentialsStayOutOfToString() {
        KafkaSettings kafka = load(Map.of("STRATA_KAFKA_SASL_JAAS_CONFIG", "user=u password=hunter2",
                "STRATA_KAFKA_SSL_KEY_PASSWORD", "hunter3", "STRATA_KAFKA_SSL_KEYSTORE_KEY", "PEM")).kafka();

        assertThat(kafka.properties()).containsEntry("ssl.key.password", "hunter3");
        assertThat(kafka.toString()).contains("sasl.jaas.config=[hidden]", "ssl.key.password=[hidden]",
                "ssl.keystore.key=[hidden]", "poll.ms=10").doesNotContain("hunter", "PEM");
    }

    @Test
    void aQuotedKafkaNameOverridesTheDefaultItSpellsDifferently() throws IOException {
        KafkaSettings kafka = load("strata.kafka { \"poll.ms\" = 50, \"producer.max.request.size\" = 30000000 }",
                Map.of()).kafka();

        assertThat(kafka.properties()).containsEntry("poll.ms", "50");
        assertThat(kafka.producerMaxRequestSize()).isEqualTo(30_000_000);
    }

    @Test
    void theEnvironmentBeatsAQuotedNameInTheFile() throws IOException {
        KafkaSettings kafka = load("strata.kafka { \"poll.ms\" = 50 }", Map.of("STRATA_KAFKA_POLL_MS", "70")).kafka();

        assertThat(kafka.properties()).containsEntry("poll.ms", "70");
    }

    @Test
    void oneFileMustNotSpellAKafkaNameTwice() {
        assertThatThrownBy(() -> load("strata.kafka { \"poll.ms\" = 50, poll.ms = 60 }", Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Kafka property poll.ms is set twice");
    }

    @Test
    void kafkaVariablesMapUnderscoresToDots() {
        assertThat(ConfigLoader.kafkaProperty("STRATA_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("bootstrap.servers");
        assertThat(ConfigLoader.kafkaProperty("STRATA_KAFKA_RACK_AWARE_ASSIGNMENT_NON__OVERLAP__COST"))
                .isEqualTo("rack.aware.assignment.non_overlap_cost");
        assertThatThrownBy(() -> load(Map.of("STRATA_KAFKA_", "x")))
                .hasMessageContaining("STRATA_KAFKA_ does not spell a Kafka property");
        assertThatThrownBy(() -> load(Map.of("STRATA_KAFKA_POLL_MS_", "x")))
                .hasMessageContaining("got 'poll.ms.'");
    }

    @Test
    void unknownSettingsInTheFileAreErrors() throws IOException {
        Path conf = file("typo.conf", "strata.batch.sise = 16\nstrata.modle.seed = 1\nother.stuff = 1\n");

        assertThatThrownBy(() -> StrataConfig.load(Optional.of(conf), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("strata.batch.sise (" + conf)
                .hasMessageContaining("strata.modle.seed")
                .hasMessageNotContaining("other.stuff");
    }

    @Test
    void unknownStrataVariablesAreErrors() {
        assertThatThrownBy(() -> load(Map.of("STRATA_BATCH_SIZ", "8", "STRATA_BATCH_MAXDELAY", "1s", "PATH", "/bin")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("STRATA_BATCH_MAXDELAY, STRATA_BATCH_SIZ")
                .hasMessageNotContaining("PATH,");
    }

    @Test
    void aMissingOrMalformedFileIsNamed() throws IOException {
        Path missing = dir.resolve("nope.conf");
        Path broken = file("broken.conf", "strata.batch { size = ");

        assertThatThrownBy(() -> StrataConfig.load(Optional.of(missing), Map.of()))
                .hasMessageContaining("nope.conf does not exist");
        assertThatThrownBy(() -> StrataConfig.load(Optional.of(broken), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Cannot parse config file")
                .hasMessageContaining("broken.conf");
    }
}
