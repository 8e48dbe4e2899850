package io.vigil.it.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static checks that keep {@code dashboards/}, {@code alerts/vigil-rules.yml} and
 * {@code docs/runbooks.md} true to the metric reference and to each other: every panel has a query, a
 * title, a description and a unit; no datasource uid is hard-coded; every metric and label in a query
 * or rule is documented in {@code docs/metrics.md} (or is {@code up} or a recording rule);
 * every alert has a severity, a summary, a description and a runbook link whose section exists.
 */
class DashboardsIT {

    private static final List<String> EXPECTED = List.of(
            "vigil-overview.json", "vigil-http.json", "vigil-database.json", "vigil-jvm.json", "vigil-agent.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("^\\$\\{([A-Za-z0-9_]+)}$|^\\$([A-Za-z0-9_]+)$");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");
    private static final Pattern RUNBOOK_URL = Pattern.compile("^https://\\S+/docs/runbooks\\.md#([a-z0-9_-]+)$");
    private static final Pattern RECORD_NAME = Pattern.compile("^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    /** Raw histogram buckets that carry the agent's trace_id exemplars. */
    private static final List<String> EXEMPLAR_BUCKETS = List.of(
            "http_server_request_duration_seconds_bucket", "db_client_operation_duration_seconds_bucket");

    static Stream<Path> dashboards() {
        try (Stream<Path> files = Files.list(RepoRoot.resolve("dashboards"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new AssertionError("cannot list dashboards/", e);
        }
    }

    @Test
    void everyDashboardIsThere() {
        List<String> names = dashboards().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(EXPECTED), "dashboards/ has " + names + ", expected " + EXPECTED);
    }

    @Test
    void dashboardUidsAndTitlesAreUnique() {
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (Path file : dashboards().toList()) {
            JsonNode d = read(file);
            assertTrue(uids.add(d.path("uid").asText()), file + ": duplicate or missing uid");
            assertTrue(titles.add(d.path("title").asText()), file + ": duplicate or missing title");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void declaresPrometheusInputAndVariables(Path file) {
        JsonNode d = read(file);
        boolean input = false;
        for (JsonNode in : d.path("__inputs")) {
            input |= "DS_PROMETHEUS".equals(in.path("name").asText()) && "datasource".equals(in.path("type").asText())
                    && "prometheus".equals(in.path("pluginId").asText());
        }
        assertTrue(input, file + ": __inputs lacks the DS_PROMETHEUS Prometheus datasource input");

        Map<String, JsonNode> vars = variables(d);
        JsonNode ds = vars.get("datasource");
        assertTrue(ds != null && "datasource".equals(ds.path("type").asText())
                && "prometheus".equals(ds.path("query").asText()), file + ": no Prometheus 'datasource' variable");
        for (String name : List.of("job", "instance")) {
            JsonNode v = vars.get(name);
            assertTrue(v != null && "query".equals(v.path("type").asText()), file + ": no '" + name + "' query variable");
            String query = queryOf(v);
            assertTrue(query.replace(" ", "").startsWith("label_values(vigil_agent_info"),
                    file + ": variable " + name + " should be label_values on vigil_agent_info, is " + query);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelHasQueryTitleDescriptionAndUnit(Path file) {
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels(read(file))) {
            String where = file.getFileName() + " panel '" + p.path("title").asText() + "'";
            if (!ids.add(p.path("id").asInt(-1))) {
                problems.add(where + ": duplicate or missing id");
            }
            JsonNode grid = p.path("gridPos");
            if (grid.path("x").asInt() + grid.path("w").asInt() > 24 || grid.path("w").asInt() <= 0) {
                problems.add(where + ": gridPos outside the 24 columns");
            }
            if ("row".equals(p.path("type").asText())) {
                continue;
            }
            if (p.path("title").asText().isBlank()) {
                problems.add(where + ": no title");
            }
            if (p.path("description").asText().isBlank()) {
                problems.add(where + ": no description");
            }
            List<JsonNode> targets = new ArrayList<>();
            p.path("targets").forEach(targets::add);
            if (targets.isEmpty()) {
                problems.add(where + ": no targets");
            }
            for (JsonNode t : targets) {
                if (t.path("expr").asText().isBlank()) {
                    problems.add(where + ": target " + t.path("refId").asText() + " has an empty expr");
                }
            }
            String type = p.path("type").asText();
            String unit = switch (type) {
                case "heatmap" -> p.path("options").path("yAxis").path("unit").asText();
                case "table" -> "n/a";
                default -> p.path("fieldConfig").path("defaults").path("unit").asText();
            };
            if (unit.isBlank()) {
                problems.add(where + ": no unit");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void noDatasourceIsHardCoded(Path file) {
        JsonNode d = read(file);
        Set<String> allowed = new HashSet<>();
        for (JsonNode in : d.path("__inputs")) {
            allowed.add(in.path("name").asText());
        }
        variables(d).forEach((name, v) -> {
            if ("datasource".equals(v.path("type").asText())) {
                allowed.add(name);
            }
        });
        List<String> problems = new ArrayList<>();
        checkDatasources(d, "$", allowed, problems);
        assertEquals(List.of(), problems, file + ": datasources must be ${DS_PROMETHEUS}/${datasource} variables");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void queriesUseOnlyContractMetricsAndLabels(Path file) {
        Set<String> metrics = MetricContract.knownMetrics();
        List<String> problems = new ArrayList<>();
        JsonNode d = read(file);
        for (JsonNode v : d.path("templating").path("list")) {
            if ("query".equals(v.path("type").asText())) {
                check("variable " + v.path("name").asText(), PromQl.variableQueryNames(queryOf(v)), metrics, problems);
            }
        }
        for (JsonNode p : panels(d)) {
            for (JsonNode t : p.path("targets")) {
                String where = "panel '" + p.path("title").asText() + "' " + t.path("refId").asText();
                PromQl.Names names = PromQl.names(t.path("expr").asText());
                if (names.metrics().isEmpty()) {
                    problems.add(where + ": selects no metric");
                }
                check(where, names, metrics, problems);
                Matcher legend = LEGEND_LABEL.matcher(t.path("legendFormat").asText());
                while (legend.find()) {
                    if (!MetricContract.LABELS.contains(legend.group(1))) {
                        problems.add(where + ": legend uses unknown label " + legend.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), problems, file.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void latencyPanelsShowExemplars(Path file) {
        List<String> problems = new ArrayList<>();
        for (JsonNode p : panels(read(file))) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                boolean latency = expr.contains("histogram_quantile(") || "heatmap".equals(t.path("format").asText());
                boolean rawLatency = latency && EXEMPLAR_BUCKETS.stream().anyMatch(expr::contains) && expr.contains("rate(");
                if (rawLatency && !t.path("instant").asBoolean() && !t.path("exemplar").asBoolean()) {
                    problems.add("panel '" + p.path("title").asText() + "' " + t.path("refId").asText()
                            + " shows latency from raw buckets without exemplars");
                }
            }
        }
        assertEquals(List.of(), problems, file.getFileName().toString());
    }

    @Test
    void latencyDashboardsHaveExemplarPanels() {
        for (String name : List.of("vigil-overview.json", "vigil-http.json", "vigil-database.json")) {
            boolean any = false;
            for (JsonNode p : panels(read(RepoRoot.resolve("dashboards/" + name)))) {
                for (JsonNode t : p.path("targets")) {
                    any |= t.path("exemplar").asBoolean();
                }
            }
            assertTrue(any, name + " has no panel with exemplars");
        }
    }

    @Test
    void ruleExpressionsUseOnlyContractMetricsAndLabels() {
        Set<String> metrics = MetricContract.knownMetrics();
        MetricContract.Rules rules = MetricContract.Rules.load();
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> all = new ArrayList<>(rules.recordingRules());
        all.addAll(rules.alerts());
        for (Map<String, Object> rule : all) {
            String name = String.valueOf(rule.containsKey("alert") ? rule.get("alert") : rule.get("record"));
            String expr = MiniYaml.string(rule.get("expr"));
            if (expr == null || expr.isBlank()) {
                problems.add(name + ": no expr");
                continue;
            }
            check(name, PromQl.names(expr), metrics, problems);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void recordingRulesFollowTheNamingConvention() {
        for (Map<String, Object> rule : MetricContract.Rules.load().recordingRules()) {
            String record = MiniYaml.string(rule.get("record"));
            assertTrue(RECORD_NAME.matcher(record).matches(), record + " is not level:metric:operations");
            assertFalse(MetricContract.rawMetrics().contains(record), record + " shadows a raw metric");
        }
    }

    @Test
    void alertsCarrySeverityAnnotationsAndAWorkingRunbookLink() {
        Set<String> anchors = runbookAnchors();
        List<Map<String, Object>> alerts = MetricContract.Rules.load().alerts();
        Set<String> names = new TreeSet<>();
        Set<String> severities = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> alert : alerts) {
            String name = MiniYaml.string(alert.get("alert"));
            names.add(name);
            String severity = MiniYaml.string(MiniYaml.map(alert.get("labels")).get("severity"));
            if (severity == null || !SEVERITIES.contains(severity)) {
                problems.add(name + ": severity '" + severity + "' is not one of " + SEVERITIES);
            } else {
                severities.add(severity);
            }
            if (MiniYaml.string(alert.get("for")) == null) {
                problems.add(name + ": no 'for' duration");
            }
            Map<String, Object> annotations = MiniYaml.map(alert.get("annotations"));
            for (String key : List.of("summary", "description", "runbook_url")) {
                String value = MiniYaml.string(annotations.get(key));
                if (value == null || value.isBlank()) {
                    problems.add(name + ": no " + key + " annotation");
                }
            }
            String url = MiniYaml.string(annotations.get("runbook_url"));
            if (url != null) {
                Matcher m = RUNBOOK_URL.matcher(url);
                if (!m.matches()) {
                    problems.add(name + ": runbook_url " + url + " is not <base>/docs/runbooks.md#<anchor>");
                } else if (!m.group(1).equals(name.toLowerCase(Locale.ROOT))) {
                    problems.add(name + ": runbook anchor #" + m.group(1) + " should be #" + name.toLowerCase(Locale.ROOT));
                } else if (!anchors.contains(m.group(1))) {
                    problems.add(name + ": docs/runbooks.md has no section #" + m.group(1));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(names.size() >= 10, "expected at least ten alerts, found " + names);
        assertEquals(SEVERITIES, severities, "every severity level should be used");
    }

    @Test
    void runbookSectionsMatchAlertsAndNamePanelsThatExist() {
        Set<String> alertAnchors = new TreeSet<>();
        for (Map<String, Object> alert : MetricContract.Rules.load().alerts()) {
            alertAnchors.add(MiniYaml.string(alert.get("alert")).toLowerCase(Locale.ROOT));
        }
        Set<String> sectionAnchors = new TreeSet<>();
        String runbooks = MetricContract.read(RepoRoot.resolve("docs/runbooks.md"));
        Matcher h2 = Pattern.compile("(?m)^## +(.+?)\\s*$").matcher(runbooks);
        while (h2.find()) {
            sectionAnchors.add(slug(h2.group(1)));
        }
        assertEquals(alertAnchors, sectionAnchors, "docs/runbooks.md should have exactly one ## section per alert");

        Map<String, Set<String>> panelsByDashboard = new HashMap<>();
        for (Path file : dashboards().toList()) {
            JsonNode d = read(file);
            Set<String> titles = new LinkedHashSet<>();
            panels(d).forEach(p -> titles.add(p.path("title").asText()));
            panelsByDashboard.put(d.path("title").asText(), titles);
        }
        List<String> problems = new ArrayList<>();
        Matcher ref = Pattern.compile("\\*(Vigil / [^*]+)\\*(?:\\s*→\\s*\\*([^*]+)\\*)?").matcher(runbooks);
        while (ref.find()) {
            Set<String> titles = panelsByDashboard.get(ref.group(1));
            if (titles == null) {
                problems.add("docs/runbooks.md names dashboard '" + ref.group(1) + "', which does not exist");
            } else if (ref.group(2) != null && titles.stream().noneMatch(t -> t.startsWith(ref.group(2)))) {
                problems.add("docs/runbooks.md names panel '" + ref.group(2) + "' of '" + ref.group(1)
                        + "', which does not exist");
            }
        }
        assertEquals(List.of(), problems);
    }

    // ------------------------------------------------------------------------------------------

    private static void check(String where, PromQl.Names names, Set<String> metrics, List<String> problems) {
        for (String m : names.metrics()) {
            if (!metrics.contains(m)) {
                problems.add(where + ": metric '" + m + "' is not documented in docs/metrics.md, nor up or a recording rule");
            }
        }
        for (String l : names.labels()) {
            if (!MetricContract.LABELS.contains(l)) {
                problems.add(where + ": label '" + l + "' is not documented in docs/metrics.md");
            }
        }
    }

    private static void checkDatasources(JsonNode node, String path, Set<String> allowed, List<String> problems) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String at = path + "." + f.getKey();
                JsonNode v = f.getValue();
                if (f.getKey().equals("datasourceUid")) {
                    problems.add(at + " = " + v);
                } else if (f.getKey().equals("datasource")) {
                    if (v.isTextual()) {
                        requireVariable(at, v.asText(), allowed, problems);
                    } else if (v.isObject() && v.has("uid")) {
                        requireVariable(at + ".uid", v.path("uid").asText(), allowed, problems);
                    } else if (!v.isObject()) {
                        problems.add(at + " = " + v);
                    }
                }
                checkDatasources(v, at, allowed, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkDatasources(node.get(i), path + "[" + i + "]", allowed, problems);
            }
        }
    }

    private static void requireVariable(String at, String value, Set<String> allowed, List<String> problems) {
        Matcher m = VARIABLE.matcher(value);
        String name = m.matches() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
        if (name == null || !allowed.contains(name)) {
            problems.add(at + " = '" + value + "'");
        }
    }

    /** Every panel, including those nested in collapsed rows. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        collectPanels(dashboard.path("panels"), out);
        return out;
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> out) {
        for (JsonNode p : panels) {
            out.add(p);
            collectPanels(p.path("panels"), out);
        }
    }

    private static Map<String, JsonNode> variables(JsonNode dashboard) {
        Map<String, JsonNode> vars = new HashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            vars.put(v.path("name").asText(), v);
        }
        return vars;
    }

    private static String queryOf(JsonNode variable) {
        JsonNode q = variable.path("query");
        return q.isObject() ? q.path("query").asText() : q.asText();
    }

    /** Section anchors of docs/runbooks.md, as GitHub renders them, plus explicit HTML anchors. */
    private static Set<String> runbookAnchors() {
        String text = MetricContract.read(RepoRoot.resolve("docs/runbooks.md"));
        Set<String> anchors = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^#{1,6} +(.+?)\\s*$").matcher(text);
        while (heading.find()) {
            anchors.add(slug(heading.group(1)));
        }
        Matcher html = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"").matcher(text);
        while (html.find()) {
            anchors.add(html.group(1));
        }
        return anchors;
    }

    private static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").strip().replace(' ', '-');
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            fail(file + " is not valid JSON: " + e.getMessage());
            return null;
        }
    }
}
