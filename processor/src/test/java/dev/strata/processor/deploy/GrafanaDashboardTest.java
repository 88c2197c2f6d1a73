package dev.strata.processor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.processor.testing.DeploymentQueries;
import dev.strata.processor.testing.RepoFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards as file provisioning loads them: strict JSON, unique uid and panel ids,
 * panels on the 24-column grid, every template variable a query uses defined, and every query
 * readable PromQL. That each query's metrics are really exported is OperationsIT's part.
 */
class GrafanaDashboardTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)}");

    @Test
    void dashboardsAreValidForFileProvisioning() {
        List<Path> files = RepoFiles.files(DeploymentQueries.DASHBOARDS, ".json");
        assertThat(files).isNotEmpty();
        Set<String> uids = new HashSet<>();
        for (Path file : files) {
            JsonNode dashboard = RepoFiles.json(file);
            assertThat(uids.add(dashboard.path("uid").asText())).as(file + " uid").isTrue();
            assertThat(dashboard.path("uid").asText()).as(file + " uid").matches("[a-zA-Z0-9_-]{1,40}");
            assertThat(dashboard.path("title").asText()).isNotBlank();
            // A provisioned dashboard gets its id from Grafana.
            assertThat(dashboard.path("id").isMissingNode() || dashboard.path("id").isNull()).isTrue();
            assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);

            List<JsonNode> panels = new ArrayList<>();
            flatten(dashboard.path("panels"), panels);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : panels) {
                String title = file.getFileName() + " panel '" + panel.path("title").asText() + "'";
                assertThat(ids.add(panel.path("id").asInt())).as(title + " id").isTrue();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title).isBetween(1, 24);
                assertThat(grid.path("h").asInt()).as(title).isPositive();
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(refIds.add(target.path("refId").asText())).as(title + " refId").isTrue();
                    assertThat(target.path("expr").asText()).as(title).isNotBlank();
                }
                if (!Set.of("row", "text").contains(panel.path("type").asText())) {
                    assertThat(panel.path("targets").size()).as(title + " queries").isPositive();
                }
            }
        }
    }

    @Test
    void queriesUseOnlyDefinedVariablesAndReadAsPromQl() {
        for (Path file : RepoFiles.files(DeploymentQueries.DASHBOARDS, ".json")) {
            Set<String> defined = new HashSet<>(Set.of("__rate_interval", "__interval", "__range"));
            RepoFiles.json(file).path("templating").path("list")
                    .forEach(variable -> defined.add(variable.path("name").asText()));
            for (DeploymentQueries.Query query : DeploymentQueries.dashboards()) {
                Matcher m = VARIABLE.matcher(query.expr());
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2);
                    assertThat(defined).as(query.where() + " uses $" + name).contains(name);
                }
                assertThat(query.selectors()).as(query.where()).isNotEmpty();
            }
        }
    }

    private static void flatten(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            flatten(panel.path("panels"), into);
        }
    }
}
