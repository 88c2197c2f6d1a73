package dev.strata.processor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.processor.testing.PromQl;
import dev.strata.processor.testing.RepoFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and Prometheus config: their shape is checked here; promtool (Debian's
 * prometheus package, which .ci/run installs) checks the config and rules and runs the rule unit
 * tests when it is on the PATH. Without it those checks are skipped, unless REQUIRE_PROMTOOL is
 * set (as .ci/run does), which makes a missing promtool a failure.
 */
class AlertRulesTest {

    private static final Path RULES = RepoFiles.path("ops/prometheus/rules/strata-alerts.yml");
    private static final Path RULE_TESTS = RepoFiles.path("ops/prometheus/tests/strata-alerts.test.yml");
    private static final Set<String> REQUIRED = Set.of("StrataInstanceDown", "StrataNotReady",
            "StrataConsumerLagGrowing", "StrataDeadLetterRateHigh", "StrataEndToEndLatencyHigh",
            "StrataInferenceErrors");

    @Test
    void everyAlertHasSeverityTextAndAParsableExpression() {
        Set<String> alerts = alerts();
        assertThat(alerts).containsAll(REQUIRED);
        for (JsonNode rule : rules()) {
            String name = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
            assertThat(rule.path("for").asText()).as(name + " waits before firing").matches("\\d+[smh]");
            assertThat(PromQl.selectors(rule.path("expr").asText())).as(name).isNotEmpty();
        }
    }

    @Test
    void everyAlertIsUnitTestedFiringAndTheRuleTestsLoadTheRules() {
        JsonNode tests = RepoFiles.yaml(RULE_TESTS);
        assertThat(tests.path("rule_files").get(0).asText()).satisfies(file ->
                assertThat(RULE_TESTS.getParent().resolve(file).normalize()).isEqualTo(RULES));
        Set<String> firing = new TreeSet<>();
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    firing.add(check.path("alertname").asText());
                }
            }
        }
        assertThat(firing).containsExactlyInAnyOrderElementsOf(alerts());
    }

    @Test
    void promtoolChecksTheConfigAndRulesAndPassesTheRuleTests() throws Exception {
        Path promtool = promtool();
        run(promtool, "check", "config", "ops/prometheus/prometheus.yml");
        run(promtool, "check", "rules", "ops/prometheus/rules/strata-alerts.yml");
        run(promtool, "test", "rules", "ops/prometheus/tests/strata-alerts.test.yml");
    }

    private static Path promtool() {
        String path = System.getenv().getOrDefault("PATH", "");
        Path found = Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (found == null && System.getenv("REQUIRE_PROMTOOL") != null) {
            fail("REQUIRE_PROMTOOL is set but promtool is not on the PATH: install Debian's prometheus package");
        }
        Assumptions.assumeTrue(found != null,
                "promtool is not on the PATH: install Debian's prometheus package (as .ci/run does) to check "
                        + "the Prometheus config and run the alert rule tests");
        return found;
    }

    private static void run(Path promtool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(RepoFiles.root().toFile())
                .redirectErrorStream(true).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 120 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    private static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        RepoFiles.yaml(RULES).path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    private static Set<String> alerts() {
        Set<String> alerts = new TreeSet<>();
        rules().forEach(rule -> alerts.add(rule.path("alert").asText()));
        return alerts;
    }
}
