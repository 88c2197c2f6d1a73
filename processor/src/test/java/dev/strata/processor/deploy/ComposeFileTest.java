package dev.strata.processor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.processor.Main;
import dev.strata.processor.config.Engine;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.ops.OpsServer;
import dev.strata.processor.testing.Dockerfile;
import dev.strata.processor.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * compose/docker-compose.yml and the processor's Dockerfiles, checked without a Docker engine:
 * every image pinned and every build context, Dockerfile and mounted file present, ports and
 * profiles as documented, the processors' environment a valid Strata configuration, and the
 * services agreeing with each other (broker address, HTTP port, scrape target, Grafana's
 * datasource and dashboards).
 */
class ComposeFileTest {

    private static final Path COMPOSE_DIR = RepoFiles.path("compose");
    private static final JsonNode COMPOSE = RepoFiles.yaml(COMPOSE_DIR.resolve("docker-compose.yml"));
    private static final JsonNode SERVICES = COMPOSE.path("services");
    private static final List<String> PROCESSORS = List.of("processor", "processor-gpu");

    /** A port mapping: host ports (a range, or none) to one container port. */
    record Port(int hostFirst, int hostLast, int container) {

        static Port parse(String spec) {
            int colon = spec.lastIndexOf(':');
            int container = Integer.parseInt(spec.substring(colon + 1).replace("/tcp", ""));
            if (colon < 0) {
                return new Port(-1, -1, container);
            }
            String[] hosts = spec.substring(0, colon).split("-");
            return new Port(Integer.parseInt(hosts[0]), Integer.parseInt(hosts[hosts.length - 1]), container);
        }
    }

    /** A volume: a host path (bind mount, relative to compose/) or a named volume, at a container path. */
    record Volume(String source, String target, boolean bind) {

        static Volume parse(String spec) {
            String[] parts = spec.split(":");
            return new Volume(parts[0], parts[1], parts[0].startsWith(".") || parts[0].startsWith("/"));
        }

        Path hostPath() {
            return COMPOSE_DIR.resolve(source).normalize();
        }
    }

    @Test
    void everyServiceHasAPinnedImageOrABuildWhoseContextAndDockerfileExist() {
        assertThat(names(SERVICES)).contains("kafka", "topics", "processor", "processor-gpu", "producer",
                "prometheus", "grafana");
        SERVICES.fields().forEachRemaining(service -> {
            String name = service.getKey();
            JsonNode spec = service.getValue();
            assertThat(spec.has("image") || spec.has("build")).as(name + " has an image or a build").isTrue();
            if (spec.has("build")) {
                Path context = COMPOSE_DIR.resolve(spec.path("build").path("context").asText()).normalize();
                assertThat(context).as(name + " build context").isDirectory();
                assertThat(context.resolve(spec.path("build").path("dockerfile").asText())).as(name + " Dockerfile")
                        .isRegularFile();
            } else {
                assertPinned(name, spec.path("image").asText());
            }
        });
        assertThat(SERVICES.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(env("kafka").get("KAFKA_PROCESS_ROLES")).as("KRaft, no ZooKeeper").isEqualTo("broker,controller");
    }

    @Test
    void dockerfilesUsePinnedBasesAndCopyWhatTheBuildProduces() throws IOException {
        String pom = Files.readString(RepoFiles.path("processor/pom.xml"));
        assertThat(pom).contains("<finalName>strata-processor</finalName>")
                .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>")
                .contains("<classpathPrefix>lib/</classpathPrefix>");
        for (String service : PROCESSORS) {
            Dockerfile dockerfile = dockerfile(service);
            dockerfile.baseImages().forEach(image -> assertPinned(service, image));
            for (Dockerfile.Copy copy : dockerfile.copies()) {
                if (copy.fromStage() != null) {
                    assertThat(dockerfile.stages()).as(service + " COPY --from").contains(copy.fromStage());
                    continue;
                }
                // Build outputs of `./mvnw package`, the one step before `docker build`.
                assertThat(copy.sources()).as(service + " COPY")
                        .isSubsetOf("processor/target/strata-processor.jar", "processor/target/lib/");
            }
            assertThat(dockerfile.copies()).extracting(Dockerfile.Copy::destination)
                    .contains("strata-processor.jar", "lib/");
            // The jar's manifest finds its dependencies in lib/ next to it.
            assertThat(dockerfile.entrypoint())
                    .containsExactly("java", "-jar", dockerfile.workdir() + "/strata-processor.jar");
            assertThat(new CommandLine(new Main()).getSubcommands()).containsKey(dockerfile.cmd().get(0));
            assertThat(dockerfile.exposed()).containsExactly(config(service).http().port());
        }
        assertThat(dockerfile("processor").baseImages()).containsExactly("eclipse-temurin:17-jre");
        assertThat(dockerfile("processor-gpu").baseImages()).last().asString()
                .startsWith("nvcr.io/nvidia/tensorrt:22.07");
    }

    @Test
    void processorEnvironmentsAreValidStrataConfigurations() {
        for (String service : PROCESSORS) {
            StrataConfig config = config(service);
            assertThat(config.kafka().bootstrapServers()).as(service)
                    .isEqualTo(advertisedListener("PLAINTEXT"));
            assertThat(config.kafka().applicationId()).as(service + ": one application across CPU and GPU")
                    .isEqualTo(config("processor").kafka().applicationId());
            assertThat(ports(service)).extracting(Port::container).as(service).containsExactly(config.http().port());
            String healthcheck = String.join(" ", texts(SERVICES.path(service).path("healthcheck").path("test")));
            assertThat(healthcheck).as(service + " healthcheck")
                    .contains("/dev/tcp/localhost/" + config.http().port()).contains(OpsServer.READY_PATH);
        }
        StrataConfig cpu = config("processor");
        assertThat(cpu.model().engine()).isEqualTo(Engine.ONNXRUNTIME);
        assertThat(cpu.model().device().gpu()).isFalse();
        StrataConfig gpu = config("processor-gpu");
        assertThat(gpu.model().engine()).isEqualTo(Engine.TENSORRT);
        assertThat(gpu.model().device().gpu()).isTrue();
        assertThat(volumes("processor-gpu")).as("TensorRT engine cache on a named volume")
                .anySatisfy(v -> {
                    assertThat(v.bind()).isFalse();
                    assertThat(v.target()).isEqualTo(gpu.model().tensorRt().engineCacheDir().toString());
                });
    }

    @Test
    void gpuProfileReservesAnNvidiaGpuAndProfilesSplitTheProcessors() {
        JsonNode device = SERVICES.path("processor-gpu").path("deploy").path("resources").path("reservations")
                .path("devices").get(0);
        assertThat(device.path("driver").asText()).isEqualTo("nvidia");
        assertThat(device.path("count").asInt()).isEqualTo(1);
        assertThat(texts(device.path("capabilities"))).contains("gpu");

        assertThat(texts(SERVICES.path("processor").path("profiles"))).containsExactly("cpu");
        assertThat(texts(SERVICES.path("processor-gpu").path("profiles"))).containsExactly("gpu");
        assertThat(texts(SERVICES.path("producer").path("profiles"))).containsExactlyInAnyOrder("cpu", "gpu");
        for (String always : List.of("kafka", "topics", "prometheus", "grafana")) {
            assertThat(SERVICES.path(always).has("profiles")).as(always + " runs in every profile").isFalse();
        }
    }

    @Test
    void producerRunsTheProcessorImageAgainstTheBroker() {
        JsonNode producer = SERVICES.path("producer");
        assertThat(producer.path("image").asText()).isEqualTo(SERVICES.path("processor").path("image").asText());
        assertThat(producer.path("build")).isEqualTo(SERVICES.path("processor").path("build"));
        List<String> command = texts(producer.path("command"));
        assertThat(command.get(0)).isEqualTo("produce");
        assertThat(command).containsSubsequence("--bootstrap-servers", advertisedListener("PLAINTEXT"));
        // Every flag must be one `strata produce` really takes.
        new CommandLine(new Main()).parseArgs(command.toArray(String[]::new));
    }

    @Test
    void brokerAndTopicsTakeWholeFramesAndTheTopicsServiceCreatesStrataTopics() {
        StrataConfig config = config("processor");
        int recordBytes = config.kafka().producerMaxRequestSize();
        assertThat(Integer.parseInt(env("kafka").get("KAFKA_MESSAGE_MAX_BYTES"))).isGreaterThanOrEqualTo(recordBytes);
        assertThat(Integer.parseInt(env("kafka").get("KAFKA_REPLICA_FETCH_MAX_BYTES")))
                .isGreaterThanOrEqualTo(recordBytes);

        String script = String.join(" ", texts(SERVICES.path("topics").path("command")));
        Matcher maxMessage = Pattern.compile("max\\.message\\.bytes=(\\d+)").matcher(script);
        assertThat(maxMessage.find()).isTrue();
        assertThat(Integer.parseInt(maxMessage.group(1))).isGreaterThanOrEqualTo(recordBytes);
        var topics = config.topics();
        assertThat(script).contains(topics.frames(), topics.labels(), topics.features(), topics.dlq(),
                topics.events());
        assertThat(script).contains("--bootstrap-server " + advertisedListener("PLAINTEXT"));
        assertThat(SERVICES.path("topics").path("depends_on").path("kafka").path("condition").asText())
                .isEqualTo("service_healthy");
        assertThat(SERVICES.path("kafka").has("healthcheck")).isTrue();
        for (String service : List.of("processor", "processor-gpu", "producer")) {
            assertThat(SERVICES.path(service).path("depends_on").path("topics").path("condition").asText())
                    .as(service).isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void dollarSignsAreEscapedOrInterpolationsWithDefaults() throws IOException {
        String text = Files.readString(COMPOSE_DIR.resolve("docker-compose.yml")).replace("$$", "");
        Matcher dollar = Pattern.compile("\\$(\\{[A-Z_]+:-[^}]*})?").matcher(text);
        while (dollar.find()) {
            assertThat(dollar.group(1)).as("compose would interpolate '" + text.substring(dollar.start(),
                    Math.min(text.length(), dollar.start() + 20)) + "'; write $$ or ${NAME:-default}").isNotNull();
        }
    }

    @Test
    void portsDoNotClashAndVolumesExistOrAreDeclared() {
        List<String> taken = new ArrayList<>();
        Map<Integer, String> owner = new HashMap<>();
        Set<String> declared = names(COMPOSE.path("volumes"));
        SERVICES.fields().forEachRemaining(service -> {
            for (Port port : ports(service.getKey())) {
                for (int p = port.hostFirst(); p >= 0 && p <= port.hostLast(); p++) {
                    String previous = owner.put(p, service.getKey());
                    if (previous != null) {
                        taken.add(p + ": " + previous + " and " + service.getKey());
                    }
                }
            }
            for (Volume volume : volumes(service.getKey())) {
                if (volume.bind()) {
                    assertThat(volume.hostPath()).as(service.getKey() + " mounts " + volume.source()).exists();
                } else {
                    assertThat(declared).as(service.getKey() + " named volume").contains(volume.source());
                }
            }
            JsonNode dependsOn = service.getValue().path("depends_on");
            Set<String> dependencies = dependsOn.isArray() ? new TreeSet<>(texts(dependsOn)) : names(dependsOn);
            assertThat(names(SERVICES)).as(service.getKey() + " depends on").containsAll(dependencies);
        });
        assertThat(taken).as("host ports used twice").isEmpty();
        assertThat(ports("kafka")).extracting(Port::container).contains(Integer.parseInt(
                advertisedListener("EXTERNAL").replaceAll(".*:", "")));
    }

    @Test
    void prometheusScrapesTheProcessorsWithTheRepositoryRules() {
        Path config = hostPath("prometheus", flag("prometheus", "--config.file"));
        assertThat(config).isEqualTo(RepoFiles.path("ops/prometheus/prometheus.yml"));
        JsonNode prometheus = RepoFiles.yaml(config);
        JsonNode job = prometheus.path("scrape_configs").get(0);
        assertThat(job.path("job_name").asText()).isEqualTo("strata");
        assertThat(job.path("metrics_path").asText()).isEqualTo(OpsServer.METRICS_PATH);
        JsonNode dns = job.path("dns_sd_configs").get(0);
        String target = texts(dns.path("names")).get(0);
        for (String service : PROCESSORS) {
            boolean answers = service.equals(target)
                    || texts(SERVICES.path(service).path("networks").path("default").path("aliases")).contains(target);
            assertThat(answers).as(service + " answers to the scraped name " + target).isTrue();
            assertThat(dns.path("port").asInt()).isEqualTo(config(service).http().port());
        }
        for (JsonNode pattern : prometheus.path("rule_files")) {
            Path rules = config.getParent().resolve(pattern.asText());
            assertThat(rules.getParent()).as("rule_files " + pattern.asText()).isDirectory();
            assertThat(RepoFiles.files(RepoFiles.root().relativize(rules.getParent()).toString(), ".yml"))
                    .isNotEmpty();
        }
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheDashboards() {
        Path provisioning = hostPath("grafana", "/etc/grafana/provisioning");
        JsonNode datasource = RepoFiles.yaml(provisioning.resolve("datasources/prometheus.yml"))
                .path("datasources").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        String url = datasource.path("url").asText();
        assertThat(url).isEqualTo("http://prometheus:" + ports("prometheus").get(0).container());

        JsonNode provider = RepoFiles.yaml(provisioning.resolve("dashboards/strata.yml")).path("providers").get(0);
        Path dashboards = hostPath("grafana", provider.path("options").path("path").asText());
        assertThat(dashboards).isEqualTo(RepoFiles.path("ops/grafana/dashboards"));
        assertThat(hostPath("grafana", env("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")))
                .isRegularFile();
        for (Path dashboard : RepoFiles.files("ops/grafana/dashboards", ".json")) {
            assertThat(datasourceUids(RepoFiles.json(dashboard), new TreeSet<>())).as(dashboard.toString())
                    .containsExactly(datasource.path("uid").asText());
        }
    }

    private static Set<String> datasourceUids(JsonNode node, Set<String> uids) {
        if (node.isObject()) {
            JsonNode datasource = node.path("datasource");
            if (datasource.isObject()) {
                uids.add(datasource.path("uid").asText());
            }
            node.elements().forEachRemaining(child -> datasourceUids(child, uids));
        } else if (node.isArray()) {
            node.forEach(child -> datasourceUids(child, uids));
        }
        return uids;
    }

    /** The processor image's STRATA_ environment, then the service's, with the config file mapped to this checkout. */
    private static StrataConfig config(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        dockerfile(service).finalEnv().forEach((k, v) -> {
            if (k.startsWith("STRATA_")) {
                env.put(k, v);
            }
        });
        env.putAll(env(service));
        String file = env.get(StrataConfig.CONFIG_FILE_ENV);
        if (file != null) {
            Path host = hostPath(service, file);
            assertThat(host).as(service + " " + StrataConfig.CONFIG_FILE_ENV).isRegularFile();
            env.put(StrataConfig.CONFIG_FILE_ENV, host.toString());
        }
        return StrataConfig.load(Optional.empty(), env);
    }

    private static Dockerfile dockerfile(String service) {
        JsonNode build = SERVICES.path(service).path("build");
        return Dockerfile.read(COMPOSE_DIR.resolve(build.path("context").asText())
                .resolve(build.path("dockerfile").asText()).normalize());
    }

    /** Where a container path of {@code service} lives in this checkout, through its bind mounts. */
    private static Path hostPath(String service, String containerPath) {
        for (Volume volume : volumes(service)) {
            if (volume.bind() && (containerPath.equals(volume.target())
                    || containerPath.startsWith(volume.target() + "/"))) {
                return Path.of(volume.hostPath() + containerPath.substring(volume.target().length())).normalize();
            }
        }
        throw new AssertionError(service + " mounts nothing at " + containerPath);
    }

    private static String flag(String service, String flag) {
        return texts(SERVICES.path(service).path("command")).stream().filter(a -> a.startsWith(flag + "="))
                .map(a -> a.substring(flag.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no " + flag));
    }

    private static String advertisedListener(String name) {
        for (String listener : env("kafka").get("KAFKA_ADVERTISED_LISTENERS").split(",")) {
            if (listener.startsWith(name + "://")) {
                return listener.substring(name.length() + 3);
            }
        }
        throw new AssertionError("kafka advertises no " + name + " listener");
    }

    private static Map<String, String> env(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = SERVICES.path(service).path("environment");
        if (node.isArray()) {
            node.forEach(e -> {
                String[] kv = e.asText().split("=", 2);
                env.put(kv[0], kv[1]);
            });
        } else {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    private static List<Port> ports(String service) {
        return texts(SERVICES.path(service).path("ports")).stream().map(Port::parse).toList();
    }

    private static List<Volume> volumes(String service) {
        return texts(SERVICES.path(service).path("volumes")).stream().map(Volume::parse).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        if (object.isObject()) {
            object.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static void assertPinned(String service, String image) {
        String tag = image.substring(image.lastIndexOf('/') + 1);
        assertThat(tag).as(service + " image " + image + " has a tag").contains(":");
        assertThat(tag).as(service + " image " + image).doesNotEndWith(":latest");
    }
}
