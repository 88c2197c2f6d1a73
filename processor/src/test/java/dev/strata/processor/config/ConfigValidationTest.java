package dev.strata.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each rule, broken on its own: the message must name the setting and the bad value. */
class ConfigValidationTest {

    @TempDir
    Path dir;

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static void assertInvalid(Map<String, String> env, String... messageParts) {
        assertThatThrownBy(() -> StrataConfig.load(Optional.empty(), env))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "STRATA_BATCH_SIZE | 0 | strata.batch.size = '0' (from environment variable STRATA_BATCH_SIZE): must be between 1 and 4096",
            "STRATA_BATCH_SIZE | eight | strata.batch.size = 'eight'",
            "STRATA_BATCH_MAX_DELAY | 0ms | strata.batch.max-delay = '0ms' (from environment variable STRATA_BATCH_MAX_DELAY): must be longer than 0",
            "STRATA_BATCH_MAX_DELAY | -5ms | strata.batch.max-delay = '-5ms' (from environment variable STRATA_BATCH_MAX_DELAY): must not be negative",
            "STRATA_BATCH_MAX_DELAY | 20 parsecs | strata.batch.max-delay = '20 parsecs'",
            "STRATA_BATCH_MAX_IN_FLIGHT | 4 | strata.batch.max-in-flight = '4' (from environment variable STRATA_BATCH_MAX_IN_FLIGHT): must be at least strata.batch.size (8)",
            "STRATA_BATCH_MAX_BLOCK | 0s | strata.batch.max-block = '0s'",
            "STRATA_BATCH_INFERENCE_BUDGET | -1s | strata.batch.inference-budget = '-1s'",
            "STRATA_BATCH_OVERLOAD_POLICY | drop-newest | strata.batch.overload-policy = 'drop-newest' (from environment variable STRATA_BATCH_OVERLOAD_POLICY): must be one of block, drop-oldest",
            "STRATA_BATCH_STALENESS | -1s | strata.batch.staleness = '-1s'",
            "STRATA_BATCH_DECODE_THREADS | -1 | strata.batch.decode-threads = '-1'",
            "STRATA_MODEL_ENGINE | tflite | strata.model.engine = 'tflite' (from environment variable STRATA_MODEL_ENGINE): must be one of onnxruntime, tensorrt",
            "STRATA_MODEL_ARCH | ConvMLP_S | strata.model.arch = 'ConvMLP_S' (from environment variable STRATA_MODEL_ARCH): unknown architecture 'ConvMLP_S'; known: ConvMLP-S",
            "STRATA_MODEL_DEVICE | tpu:0 | strata.model.device = 'tpu:0' (from environment variable STRATA_MODEL_DEVICE): must be cpu, gpu or gpu:N",
            "STRATA_MODEL_INPUT_SIZE | 8 | strata.model.input-size = '8'",
            "STRATA_MODEL_SEED | 4.5 | strata.model.seed = '4.5' (from environment variable STRATA_MODEL_SEED): must be a whole number",
            "STRATA_BATCH_SIZE | 8.5 | strata.batch.size = '8.5' (from environment variable STRATA_BATCH_SIZE): must be a whole number",
            "STRATA_OUTPUT_FEATURES_STAGES | 1.5 | must list whole numbers",
            "STRATA_MODEL_INTRA_OP_THREADS | -2 | strata.model.intra-op-threads = '-2'",
            "STRATA_MODEL_TENSORRT_FP16 | maybe | strata.model.tensorrt.fp16 = 'maybe'",
            "STRATA_MODEL_ONNXRUNTIME_GPU_PROVIDER | rocm | strata.model.onnxruntime.gpu-provider = 'rocm' (from environment variable STRATA_MODEL_ONNXRUNTIME_GPU_PROVIDER): must be one of tensorrt, cuda",
            "STRATA_MODEL_WEIGHTS | /no/such/weights.safetensors | strata.model.weights = '/no/such/weights.safetensors' (from environment variable STRATA_MODEL_WEIGHTS): is not a readable file",
            "STRATA_MODEL_LABELS | /no/such/labels.txt | strata.model.labels = '/no/such/labels.txt'",
            "STRATA_MODEL_PATH | /no/such/model.onnx | strata.model.path = '/no/such/model.onnx'",
            "STRATA_FRAME_MAX_BYTES | 0 | strata.frame.max-bytes = '0'",
            "STRATA_FRAME_MAX_BYTES | lots | strata.frame.max-bytes = 'lots'",
            "STRATA_FRAME_MAX_PIXELS | 0 | strata.frame.max-pixels = '0'",
            "STRATA_FRAME_MAX_SIDE | -1 | strata.frame.max-side = '-1'",
            "STRATA_OUTPUT_TOP_K | 0 | strata.output.top-k = '0'",
            "STRATA_OUTPUT_FEATURES_ENABLED | sometimes | strata.output.features.enabled = 'sometimes'",
            "STRATA_OUTPUT_FEATURES_FORMAT | xml | strata.output.features.format = 'xml' (from environment variable STRATA_OUTPUT_FEATURES_FORMAT): must be one of binary, json",
            "STRATA_OUTPUT_FEATURES_PRECISION | float64 | must be one of float16, float32",
            "STRATA_OUTPUT_FEATURES_GRID | 17 | strata.output.features.grid = '17' (from environment variable STRATA_OUTPUT_FEATURES_GRID): must be between 0 and 16",
            "STRATA_OUTPUT_FEATURES_STAGES | 0,0 | strata.output.features.stages = [\"0\",\"0\"]",
            "STRATA_OUTPUT_FEATURES_STAGES | -1 | must list distinct stage indices from 0",
            "STRATA_HTTP_PORT | 70000 | strata.http.port = '70000'",
            "STRATA_TOPICS_DLQ | bad topic! | strata.topics.dlq = 'bad topic!'",
            "STRATA_TOPICS_LABELS | frames | strata.topics.labels = 'frames' (from environment variable STRATA_TOPICS_LABELS): the same topic as strata.topics.frames",
            "STRATA_KAFKA_PROCESSING_GUARANTEE | exactly_once | strata.kafka.processing.guarantee = 'exactly_once': must be one of at_least_once, exactly_once_v2",
            "STRATA_KAFKA_APPLICATION_ID | my app | strata.kafka.application.id = 'my app'",
            "STRATA_KAFKA_BOOTSTRAP_SERVERS | '' | strata.kafka.bootstrap.servers = '': is required",
            "STRATA_KAFKA_POLL_MS | soon | Invalid Kafka setting under strata.kafka: Invalid value soon for configuration poll.ms",
            "STRATA_KAFKA_PRODUCER_ACKS | maybe | Invalid Kafka setting under strata.kafka: Invalid value maybe for configuration acks",
            "STRATA_KAFKA_CONSUMER_AUTO_OFFSET_RESET | sometimes | Invalid Kafka setting under strata.kafka: Invalid value sometimes for configuration auto.offset.reset",
            "STRATA_KAFKA_ADMIN_RETRY_BACKOFF_MS | soon | Invalid Kafka setting under strata.kafka: Invalid value soon for configuration retry.backoff.ms",
            "STRATA_KAFKA_PRODUCER_MAX_REQUEST_SIZE | -1 | strata.kafka.producer.max.request.size = '-1': must be a positive integer",
            "STRATA_KAFKA_MAX_POLL_INTERVAL_MS | 1e9 | strata.kafka.max.poll.interval.ms = '1e9': must be a positive integer"})
    void rejects(String variable, String value, String message) {
        assertInvalid(env(variable, value), message);
    }

    @Test
    void aModelWithinItsBudgetMustNeverLookStalled() {
        assertInvalid(env("STRATA_BATCH_INFERENCE_BUDGET", "10s"),
                "strata.batch.max-block (8000 ms) must be at least strata.batch.inference-budget (10000 ms)");
        assertInvalid(env("STRATA_BATCH_MAX_BLOCK", "4s"), "strata.batch.max-block (4000 ms) must be at least");
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_BATCH_MAX_BLOCK", "5s")).batch().maxBlock())
                .hasSeconds(5);
        // A long max-delay does not lengthen the wait for a slot: when the slots are full, a full batch is ready.
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_BATCH_MAX_DELAY", "60s")).batch().maxDelay())
                .hasSeconds(60);
    }

    @Test
    void aWaitingStreamThreadMustKeepItsConsumerGroupSeat() {
        assertInvalid(env("STRATA_KAFKA_MAX_POLL_INTERVAL_MS", "16000"),
                "strata.batch.max-block (8000 ms) must stay under half of max.poll.interval.ms under strata.kafka "
                        + "(16000 ms)");
        assertInvalid(env("STRATA_KAFKA_MAIN_CONSUMER_MAX_POLL_INTERVAL_MS", "12000"), "(12000 ms)");
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_KAFKA_MAX_POLL_INTERVAL_MS", "16001"))
                .kafka().maxPollInterval()).hasMillis(16_001);
    }

    @Test
    void aLongerPollIntervalMakesRoomForALongerBudget() {
        StrataConfig config = StrataConfig.load(Optional.empty(), env("STRATA_BATCH_MAX_BLOCK", "200s",
                "STRATA_BATCH_INFERENCE_BUDGET", "180s", "STRATA_KAFKA_CONSUMER_MAX_POLL_INTERVAL_MS", "600000"));

        assertThat(config.batch().maxBlock()).hasSeconds(200);
    }

    @Test
    void underExactlyOnceAWaitMustEndBeforeTheTransactionTimesOut() {
        assertInvalid(env("STRATA_KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2",
                        "STRATA_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "8000"),
                "strata.batch.max-block (8000 ms) + commit.interval.ms (100 ms) = 8100 ms must stay under the "
                        + "producer's transaction.timeout.ms under strata.kafka (8000 ms) with exactly_once_v2");
        assertInvalid(env("STRATA_KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2",
                "STRATA_BATCH_INFERENCE_BUDGET", "9s", "STRATA_BATCH_MAX_BLOCK", "10s"),
                "= 10100 ms must stay under the producer's transaction.timeout.ms under strata.kafka (10000 ms)");
        // The defaults fit Kafka Streams' own 10 s; a longer budget needs a longer timeout.
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2"))
                .kafka().transactionTimeout()).hasSeconds(10);
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2",
                "STRATA_BATCH_INFERENCE_BUDGET", "9s", "STRATA_BATCH_MAX_BLOCK", "10s",
                "STRATA_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "30000")).batch().maxBlock()).hasSeconds(10);
        // At least once there is no transaction to time out.
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "1000"))
                .batch().maxBlock()).hasSeconds(8);
    }

    @Test
    void tensorRtNeedsAGpu() {
        assertInvalid(env("STRATA_MODEL_ENGINE", "tensorrt"),
                "strata.model.device = 'cpu'", "tensorrt runs on a GPU only");
    }

    @Test
    void tensorRtMaxBatchMustHoldABatch() {
        assertInvalid(env("STRATA_MODEL_ENGINE", "tensorrt", "STRATA_MODEL_DEVICE", "gpu", "STRATA_BATCH_SIZE", "64"),
                "strata.model.tensorrt.max-batch = 32", "must be at least strata.batch.size (64)");
        // With onnxruntime the TensorRT section is not in play.
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_BATCH_SIZE", "64")).batch().size()).isEqualTo(64);
    }

    @Test
    void onnxRuntimesTensorRtProviderIsHeldToTheSameMaxBatch() {
        assertInvalid(env("STRATA_MODEL_DEVICE", "gpu:0", "STRATA_BATCH_SIZE", "64"),
                "strata.model.tensorrt.max-batch = 32", "must be at least strata.batch.size (64)");

        StrataConfig cuda = StrataConfig.load(Optional.empty(), env("STRATA_MODEL_DEVICE", "gpu:0",
                "STRATA_BATCH_SIZE", "64", "STRATA_MODEL_ONNXRUNTIME_GPU_PROVIDER", "cuda"));
        assertThat(cuda.model().gpuProvider()).isEqualTo(GpuProvider.CUDA);
        assertThat(cuda.model().usesTensorRt()).isFalse();
    }

    @Test
    void whereTensorRtBuildsTheEngine() {
        assertThat(StrataConfig.load(Optional.empty(), env()).model().usesTensorRt()).isFalse();
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_MODEL_DEVICE", "gpu")).model().usesTensorRt())
                .isTrue();
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_MODEL_ENGINE", "tensorrt",
                "STRATA_MODEL_DEVICE", "gpu:1", "STRATA_MODEL_ONNXRUNTIME_GPU_PROVIDER", "cuda")).model()
                .usesTensorRt()).isTrue();
    }

    @Test
    void aModelPathMustBeAnOnnxFile() throws IOException {
        Path notOnnx = Files.writeString(dir.resolve("model.bin"), "x");

        assertInvalid(env("STRATA_MODEL_PATH", notOnnx.toString()), "strata.model.path", "must name an .onnx file");
    }

    @Test
    void framesMustFitTheProducersRequestAndTheInternalTopics() {
        assertInvalid(env("STRATA_FRAME_MAX_BYTES", "32MiB"), "strata.frame.max-bytes = '32MiB'",
                "does not fit the producer's max.request.size under strata.kafka (20971520 bytes)");
        assertInvalid(env("STRATA_FRAME_MAX_BYTES", "32MiB", "STRATA_KAFKA_PRODUCER_MAX_REQUEST_SIZE", "40000000"),
                "does not fit strata.kafka.topic.max.message.bytes (20971520 bytes)");
        assertThat(StrataConfig.load(Optional.empty(), env("STRATA_FRAME_MAX_BYTES", "32MiB",
                "STRATA_KAFKA_PRODUCER_MAX_REQUEST_SIZE", "40000000", "STRATA_KAFKA_TOPIC_MAX_MESSAGE_BYTES",
                "40000000")).frame().maxBytes()).isEqualTo(32 << 20);
    }

    @Test
    void aBadValueInTheFileNamesFileAndLine() throws IOException {
        Path conf = Files.writeString(dir.resolve("app.conf"), "strata {\n  batch {\n    size = 0\n  }\n}\n");

        assertThatThrownBy(() -> StrataConfig.load(Optional.of(conf), Map.of()))
                .hasMessageContaining("strata.batch.size = 0 (from " + conf)
                .hasMessageContaining(": 3)");
    }

    @Test
    void nullingARequiredSettingIsReported() throws IOException {
        Path conf = Files.writeString(dir.resolve("app.conf"), "strata.batch.size = null\n");

        assertThatThrownBy(() -> StrataConfig.load(Optional.of(conf), Map.of()))
                .hasMessageContaining("Missing setting strata.batch.size");
    }

    @Test
    void devicesParseAndPrintAlike() {
        assertThat(Device.parse("cpu")).isEqualTo(Device.CPU);
        assertThat(Device.parse("gpu")).isEqualTo(new Device(true, 0));
        assertThat(Device.parse("gpu:3")).hasToString("gpu:3");
        assertThatThrownBy(() -> Device.parse("gpu:")).isInstanceOf(IllegalArgumentException.class);
    }
}
