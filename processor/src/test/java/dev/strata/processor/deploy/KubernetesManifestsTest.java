package dev.strata.processor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.processor.StrataApp;
import dev.strata.processor.config.Engine;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.ops.OpsServer;
import dev.strata.processor.testing.DeploymentQueries;
import dev.strata.processor.testing.Dockerfile;
import dev.strata.processor.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops/k8s, read as kubectl would: the ConfigMap's strata.conf with each Deployment's environment
 * is a valid Strata configuration, probes hit the processor's endpoints on its HTTP port, the GPU
 * Deployment asks for a GPU for TensorRT, and Service and ServiceMonitor find the pods.
 */
class KubernetesManifestsTest {

    private static final String DIR = "ops/k8s";
    private static final Map<String, JsonNode> RESOURCES = resources();

    @TempDir
    Path tmp;

    private static Map<String, JsonNode> resources() {
        Map<String, JsonNode> byKindAndName = new LinkedHashMap<>();
        for (Path file : RepoFiles.files(DIR, ".yaml")) {
            for (JsonNode doc : RepoFiles.yamlDocuments(file)) {
                String key = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
                assertThat(byKindAndName.put(key, doc)).as("one " + key).isNull();
            }
        }
        return byKindAndName;
    }

    @Test
    void kustomizationListsEveryManifest() {
        JsonNode kustomization = RESOURCES.get("Kustomization/");
        assertThat(kustomization).isNotNull();
        List<String> listed = texts(kustomization.path("resources"));
        List<String> files = RepoFiles.files(DIR, ".yaml").stream().map(f -> f.getFileName().toString())
                .filter(f -> !f.equals("kustomization.yaml")).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void configMapWithEachDeploymentsEnvironmentIsAValidConfiguration() throws IOException {
        StrataConfig cpu = config("strata");
        assertThat(cpu.model().engine()).isEqualTo(Engine.ONNXRUNTIME);
        assertThat(cpu.model().device().gpu()).isFalse();
        StrataConfig gpu = config("strata-gpu");
        assertThat(gpu.model().engine()).isEqualTo(Engine.TENSORRT);
        assertThat(gpu.model().device().gpu()).isTrue();
        assertThat(gpu.kafka().applicationId()).as("one application across CPU and GPU pods")
                .isEqualTo(cpu.kafka().applicationId());
        assertThat(mountPaths("strata-gpu")).as("TensorRT engine cache on a volume")
                .contains(gpu.model().tensorRt().engineCacheDir().toString());
        for (String deployment : List.of("strata", "strata-gpu")) {
            String stateDir = config(deployment).kafka().properties().get("state.dir");
            assertThat(mountPaths(deployment)).as(deployment + " Kafka Streams state on a volume").contains(stateDir);
        }
    }

    @Test
    void probesHitTheEndpointsOnTheHttpPort() throws IOException {
        for (String deployment : List.of("strata", "strata-gpu")) {
            JsonNode container = container(deployment);
            int httpPort = config(deployment).http().port();
            assertThat(namedPort(container, "http")).as(deployment).isEqualTo(httpPort);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                assertThat(get.path("path").asText()).as(deployment + " " + probe)
                        .isEqualTo(probe.equals("readinessProbe") ? OpsServer.READY_PATH : OpsServer.LIVE_PATH);
                assertThat(get.path("port").asText()).as(deployment + " " + probe).isEqualTo("http");
            }
            JsonNode spec = RESOURCES.get("Deployment/" + deployment).path("spec").path("template").path("spec");
            assertThat(spec.path("terminationGracePeriodSeconds").asLong()).as(deployment + " shutdown room")
                    .isGreaterThan(StrataApp.STREAMS_CLOSE_TIMEOUT.toSeconds());
            assertThat(spec.path("securityContext").path("runAsUser").asInt()).as(deployment + " image user")
                    .isEqualTo(imageUid());
        }
        // A cold TensorRT engine build takes minutes: the GPU start-up allowance must be the larger.
        assertThat(startupAllowanceSeconds("strata-gpu")).isGreaterThanOrEqualTo(600)
                .isGreaterThan(startupAllowanceSeconds("strata"));
    }

    @Test
    void gpuDeploymentRequestsAnNvidiaGpu() {
        JsonNode resources = container("strata-gpu").path("resources");
        assertThat(resources.path("limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
        assertThat(container("strata").path("resources").path("limits").has("nvidia.com/gpu")).isFalse();
        assertThat(container("strata-gpu").path("image").asText()).endsWith("-tensorrt");
    }

    @Test
    void serviceAndServiceMonitorFindEveryPodsMetrics() throws IOException {
        JsonNode service = RESOURCES.get("Service/strata");
        JsonNode monitor = RESOURCES.get("ServiceMonitor/strata");
        assertThat(service).isNotNull();
        assertThat(monitor).isNotNull();
        Map<String, String> selector = strings(service.path("spec").path("selector"));
        for (String deployment : List.of("strata", "strata-gpu")) {
            Map<String, String> podLabels = strings(RESOURCES.get("Deployment/" + deployment).path("spec")
                    .path("template").path("metadata").path("labels"));
            assertThat(podLabels).as(deployment + " pods selected by the Service").containsAllEntriesOf(selector);
            Map<String, String> deploymentSelector = strings(RESOURCES.get("Deployment/" + deployment).path("spec")
                    .path("selector").path("matchLabels"));
            assertThat(podLabels).containsAllEntriesOf(deploymentSelector);
        }
        JsonNode servicePort = service.path("spec").path("ports").get(0);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo("http");
        assertThat(servicePort.path("port").asInt()).isEqualTo(config("strata").http().port());

        assertThat(strings(service.path("metadata").path("labels")))
                .containsAllEntriesOf(strings(monitor.path("spec").path("selector").path("matchLabels")));
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo(servicePort.path("name").asText());
        assertThat(endpoint.path("path").asText()).isEqualTo(OpsServer.METRICS_PATH);
        Map<String, String> annotations = strings(service.path("metadata").path("annotations"));
        assertThat(annotations).containsEntry("prometheus.io/path", OpsServer.METRICS_PATH)
                .containsEntry("prometheus.io/port", Integer.toString(config("strata").http().port()));
        // The Prometheus Operator names the job after the Service; the alert rules expect it.
        String job = service.path("metadata").path("name").asText();
        assertThat(DeploymentQueries.alertRules()).anySatisfy(q -> assertThat(q.expr()).contains("job=\"" + job + "\""));
    }

    /** The Deployment's container environment over the ConfigMap's file, as the pod sees them. */
    private StrataConfig config(String deployment) throws IOException {
        JsonNode container = container(deployment);
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode var : container.path("env")) {
            assertThat(var.has("value")).as(deployment + " " + var.path("name").asText() + " has a literal value")
                    .isTrue();
            env.put(var.path("name").asText(), var.path("value").asText());
        }
        Path file = Path.of(env.get(StrataConfig.CONFIG_FILE_ENV));
        JsonNode mount = mountAt(deployment, file.getParent().toString());
        JsonNode volume = volume(deployment, mount.path("name").asText());
        JsonNode configMap = RESOURCES.get("ConfigMap/" + volume.path("configMap").path("name").asText());
        assertThat(configMap).as(deployment + " mounts a ConfigMap at " + file.getParent()).isNotNull();
        JsonNode content = configMap.path("data").path(file.getFileName().toString());
        assertThat(content.isTextual()).as(deployment + ": the ConfigMap has " + file.getFileName()).isTrue();
        Path local = Files.writeString(tmp.resolve(deployment + "-" + file.getFileName()), content.asText());
        env.put(StrataConfig.CONFIG_FILE_ENV, local.toString());
        return StrataConfig.load(Optional.empty(), env);
    }

    private static JsonNode container(String deployment) {
        JsonNode resource = RESOURCES.get("Deployment/" + deployment);
        assertThat(resource).as("Deployment " + deployment).isNotNull();
        JsonNode containers = resource.path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    private static JsonNode mountAt(String deployment, String path) {
        for (JsonNode mount : container(deployment).path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount;
            }
        }
        throw new AssertionError(deployment + " mounts nothing at " + path);
    }

    private static List<String> mountPaths(String deployment) {
        List<String> paths = new ArrayList<>();
        container(deployment).path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
        return paths;
    }

    private static JsonNode volume(String deployment, String name) {
        for (JsonNode volume : RESOURCES.get("Deployment/" + deployment).path("spec").path("template").path("spec")
                .path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError(deployment + " has no volume " + name);
    }

    private static int namedPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    private static long startupAllowanceSeconds(String deployment) {
        JsonNode probe = container(deployment).path("startupProbe");
        return probe.path("periodSeconds").asLong() * probe.path("failureThreshold").asLong();
    }

    /** The uid the processor images create their user with. */
    private static int imageUid() {
        Matcher uid = Pattern.compile("useradd .*--uid (\\d+)")
                .matcher(Dockerfile.read(RepoFiles.path("compose/processor/Dockerfile")).text());
        assertThat(uid.find()).isTrue();
        return Integer.parseInt(uid.group(1));
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
