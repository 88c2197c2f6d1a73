package dev.strata.processor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every PromQL expression the deployment files hold: Grafana dashboards and alert rules. */
public final class DeploymentQueries {

    /** One expression and where it is, for messages. */
    public record Query(String where, String expr, boolean grafana) {

        public List<PromQl.Selector> selectors() {
            return grafana ? PromQl.grafanaSelectors(expr) : PromQl.selectors(expr);
        }
    }

    public static final String DASHBOARDS = "ops/grafana/dashboards";
    public static final String RULES = "ops/prometheus/rules";

    private DeploymentQueries() {
    }

    public static List<Query> all() {
        List<Query> all = new ArrayList<>(dashboards());
        all.addAll(alertRules());
        return all;
    }

    /** Panel targets (rows' nested panels included) and template variable queries. */
    public static List<Query> dashboards() {
        List<Query> queries = new ArrayList<>();
        for (Path file : RepoFiles.files(DASHBOARDS, ".json")) {
            JsonNode dashboard = RepoFiles.json(file);
            collectPanels(file.getFileName() + ": ", dashboard.path("panels"), queries);
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    JsonNode query = variable.path("query");
                    String expr = query.isObject() ? query.path("query").asText() : query.asText();
                    queries.add(new Query(file.getFileName() + ": variable " + variable.path("name").asText(),
                            expr, true));
                }
            }
        }
        return queries;
    }

    private static void collectPanels(String where, JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            String title = where + "panel '" + panel.path("title").asText() + "'";
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(title + " " + target.path("refId").asText(), target.path("expr").asText(),
                        true));
            }
            collectPanels(where, panel.path("panels"), queries);
        }
    }

    public static List<Query> alertRules() {
        List<Query> queries = new ArrayList<>();
        for (Path file : RepoFiles.files(RULES, ".yml")) {
            for (JsonNode group : RepoFiles.yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                    queries.add(new Query(file.getFileName() + ": " + name, rule.path("expr").asText(), false));
                }
            }
        }
        return queries;
    }
}
