package io.vigil.it.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricReference;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.Sample;
import io.vigil.it.rules.PromQl;
import io.vigil.it.rules.RuleTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and rules against a real Prometheus: the Debian {@code prometheus} binary (installed
 * with apt-get when missing, see {@link RuleTools}) scrapes the demo application, with the built agent
 * attached, every second on 127.0.0.1 while the demo calls its own pages and this test adds a bounded
 * burst of requests; it loads {@code alerts/vigil-rules.yml}. Then every dashboard query and every
 * rule is evaluated through Prometheus' HTTP API.
 *
 * <p>What "must return data" means is decided at run time from what Prometheus actually ingested from
 * the target, never from a list in this test, because instrumentations land one by one: a query (or a
 * recording rule) whose metric names, followed through the recording rules down to raw series, were all
 * scraped must return data; one that uses a metric not (yet) emitted must still evaluate without error.
 * A query whose metrics are emitted but one of whose selectors filters on an outcome that did not happen
 * ({@code error_type!=""}, a 5xx status) is reported, not failed; any other selector that matches nothing
 * while its metric is emitted (a wrong label value, a bucket bound that does not exist) fails.
 *
 * <p>Dashboard variables are resolved through Prometheus as Grafana would ({@code label_values}) and put
 * into the queries with Grafana's escaping. Every target is evaluated with the first value of each
 * variable, again with "All" where it uses a multi-value variable, and once for each further value of
 * {@code $route}/{@code $pool}-like variables; range targets as range queries over the last 30 s,
 * instant targets as instant queries. A metric counts as emitted when Prometheus holds a sample of it from
 * the target at least a few scrapes old.
 *
 * <p>Alert expressions compare with a threshold, so they are also evaluated with every comparison
 * turned into a {@code bool} comparison: that version returns a 0/1 series for every input series, and
 * must return data whenever the alert's inputs are emitted.
 */
class LivePrometheusIT {

    /** The scrape job. Deliberately a name that neither the rules nor the dashboards mention. */
    private static final String JOB = "vigil-live-check-7f3a";
    private static final Duration RATE_INTERVAL = Duration.ofMinutes(1);
    private static final Duration RANGE = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofSeconds(2);
    private static final int LOAD_REQUESTS = 200;
    private static final int LOAD_THREADS = 4;
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    /** From Prometheus' start: the target must be up and scraped well enough within this. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(40);
    private static final int MIN_SCRAPES = 10;
    /** At most this many values of a multi-value variable get a pass of their own. */
    private static final int MAX_OPTIONS = 8;
    /** Scrapes and rule evaluations after the burst, so that series it created have two samples or more. */
    private static final Duration AFTER_LOAD = Duration.ofSeconds(3);
    /** Labels whose matchers select an outcome (an error), which a short run may legitimately not produce. */
    private static final Set<String> OUTCOME_LABELS = Set.of("error_type", "http_response_status_code");
    /** Series Prometheus makes itself for a target; {@code up} is deliberately not here. */
    private static final Pattern PROMETHEUS_OWN = Pattern.compile("^(scrape_.*|ALERTS|ALERTS_FOR_STATE)$");
    private static final Pattern GROUP_NAME = Pattern.compile("(?m)^\\s*-\\s*name:\\s*['\"]?([^'\"\\s]+)");
    private static final Pattern RULE_DECL = Pattern.compile("(?m)^\\s*-\\s*(record|alert):\\s*['\"]?([^'\"\\s]+)");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static long startedNanos;
    private static Path repo;
    private static Path rulesFile;
    private static AgentJvm demo;
    private static int demoPort;
    private static String instance;
    private static PrometheusServer prometheus;
    private static final Map<String, Integer> loadStatuses = new TreeMap<>();
    private static Instant loadEnded;
    /** Raw metric names Prometheus ingested from the target, plus {@code up}. */
    private static Set<String> emitted;
    /** Names in the agent's own text scrape at the same moment. */
    private static Set<String> agentNames;
    /** Each recording rule's name and its expression, as Prometheus loaded them. */
    private static final Map<String, List<String>> recordingRules = new LinkedHashMap<>();

    @BeforeAll
    static void startDemoAndPrometheus() throws IOException {
        startedNanos = System.nanoTime();
        RuleTools.ensureInstalled();
        repo = RuleTools.repoRoot();
        rulesFile = repo.resolve("alerts/vigil-rules.yml").toAbsolutePath().normalize();

        Path demoJar = Paths.get(System.getProperty("vigil.demo.jar", repo.resolve("examples/demo/target/vigil-demo.jar").toString()))
                .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(demoJar), "demo jar not built: " + demoJar
                + " (mvn -B -q install -DskipTests -pl examples/demo)");

        demoPort = FreePort.next();
        demo = AgentJvm.app("io.vigil.demo.DemoApplication")
                .classpath(List.of(demoJar.toString()))
                .args("--port=" + demoPort, "--traffic")
                .start();
        awaitDemoServes(Duration.ofSeconds(30));
        instance = "127.0.0.1:" + demo.port();

        Path target = Paths.get("target");
        Path work = Files.createTempDirectory(Files.isDirectory(target) ? target : Paths.get(System.getProperty("java.io.tmpdir")),
                "live-prometheus-");
        prometheus = PrometheusServer.start(RuleTools.tool("prometheus"), work, JOB, instance, List.of(rulesFile),
                Duration.ofSeconds(30));
        long prometheusStarted = System.nanoTime();

        awaitCondition(prometheusStarted, "the target to be scraped and up",
                () -> PrometheusServer.scalar(prometheus.query("up{job=\"" + JOB + "\"}")) == 1.0);
        generateLoad();
        long settleFrom = loadEnded.plus(AFTER_LOAD).toEpochMilli();
        awaitCondition(prometheusStarted, MIN_SCRAPES + " scrapes, the last after the burst + " + AFTER_LOAD,
                () -> PrometheusServer.scalar(prometheus.query("count_over_time(up{job=\"" + JOB + "\"}[5m])")) >= MIN_SCRAPES
                        && PrometheusServer.scalar(prometheus.query("timestamp(up{job=\"" + JOB + "\"})")) * 1000 >= settleFrom);
        awaitCondition(prometheusStarted, "every rule group to have been evaluated after the burst + " + AFTER_LOAD,
                () -> allGroupsEvaluatedAfter(settleFrom));

        for (JsonNode group : prometheus.rules().data().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("type").asText().equals("recording")) {
                    recordingRules.computeIfAbsent(rule.path("name").asText(), k -> new ArrayList<>())
                            .add(rule.path("query").asText());
                }
            }
        }
        // Names with a sample at least a few scrapes old, so that every rate() window already holds two
        // samples of them: a family that first appeared in the last second counts as absent, not as empty.
        PrometheusServer.Answer names = prometheus.query("count by (__name__) ({job=\"" + JOB + "\"} offset "
                + AFTER_LOAD.toSeconds() + "s)");
        assertTrue(names.success(), "metric names of the target: " + names.error());
        emitted = new TreeSet<>();
        for (JsonNode series : names.data().path("result")) {
            String name = series.path("metric").path("__name__").asText();
            if (!PROMETHEUS_OWN.matcher(name).matches() && !recordingRules.containsKey(name)) {
                emitted.add(name);
            }
        }
        emitted.add("up");
        agentNames = new TreeSet<>();
        demo.metrics().samples().forEach(s -> agentNames.add(s.name()));
        Runtime.getRuntime().addShutdownHook(new Thread(LivePrometheusIT::stopAll));
    }

    @AfterAll
    static void stopAll() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (demo != null) {
            demo.close();
        }
        if (startedNanos != 0) {
            System.out.printf("[live-prometheus] total time %.1f s%n", (System.nanoTime() - startedNanos) / 1e9);
            startedNanos = 0;
        }
    }

    // --- tests ----------------------------------------------------------------------------------

    @Test
    void prometheusScrapesTheAgentAndLoadsEveryRule() throws IOException {
        assertTrue(demo.isAlive(), "the demo application died:\n" + demo.output());
        PrometheusServer.Answer targets = prometheus.targets();
        assertTrue(targets.success(), targets.error());
        List<JsonNode> ours = new ArrayList<>();
        targets.data().path("activeTargets").forEach(t -> {
            if (JOB.equals(t.path("labels").path("job").asText())) {
                ours.add(t);
            }
        });
        assertEquals(1, ours.size(), "active targets of job " + JOB + ": " + targets.data());
        JsonNode t = ours.get(0);
        assertEquals("up", t.path("health").asText(), "target: " + t);
        assertEquals("", t.path("lastError").asText(), "target: " + t);
        assertEquals(instance, t.path("labels").path("instance").asText());

        String rulesText = Files.readString(rulesFile, StandardCharsets.UTF_8);
        Set<String> fileGroups = new TreeSet<>();
        Matcher g = GROUP_NAME.matcher(rulesText);
        while (g.find()) {
            fileGroups.add(g.group(1));
        }
        Map<String, Integer> fileRules = new TreeMap<>();
        Matcher r = RULE_DECL.matcher(rulesText);
        while (r.find()) {
            fileRules.merge(r.group(1) + " " + r.group(2), 1, Integer::sum);
        }
        Set<String> loadedGroups = new TreeSet<>();
        Map<String, Integer> loadedRules = new TreeMap<>();
        for (JsonNode group : prometheus.rules().data().path("groups")) {
            loadedGroups.add(group.path("name").asText());
            assertEquals(rulesFile.toString(), Paths.get(group.path("file").asText()).toAbsolutePath().normalize().toString(),
                    "group " + group.path("name").asText() + " comes from another file");
            for (JsonNode rule : group.path("rules")) {
                String kind = rule.path("type").asText().equals("recording") ? "record" : "alert";
                loadedRules.merge(kind + " " + rule.path("name").asText(), 1, Integer::sum);
            }
        }
        assertEquals(fileGroups, loadedGroups, "rule groups in " + rulesFile + " vs loaded by Prometheus");
        assertEquals(fileRules, loadedRules, "rules in " + rulesFile + " vs loaded by Prometheus");

        assertFalse(rulesText.contains(JOB), "the rules mention the test's job name");
        for (Path d : dashboardFiles()) {
            assertFalse(Files.readString(d, StandardCharsets.UTF_8).contains(JOB), d + " mentions the test's job name");
        }

        Set<String> notIngested = new TreeSet<>(agentNames);
        notIngested.removeAll(emitted);
        report("agent exposes " + agentNames.size() + " metric names; Prometheus ingested " + emitted.size()
                + " raw names from the target (with up)" + (notIngested.isEmpty() ? "" : "; exposed in text but not"
                + " seen by Prometheus at snapshot time: " + notIngested));
        report("load: " + LOAD_REQUESTS + " requests, status counts " + loadStatuses);
        report("documented metrics absent at this run: " + absentDocumentedMetrics());
    }

    @Test
    void everyRuleIsHealthyAfterSeveralEvaluations() {
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (JsonNode group : prometheus.rules().data().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                n++;
                String name = rule.path("type").asText() + " " + rule.path("name").asText();
                if (!rule.path("health").asText().equals("ok")) {
                    problems.add(name + ": health " + rule.path("health").asText() + ", lastError "
                            + rule.path("lastError").asText());
                } else if (!rule.path("lastError").asText().isEmpty()) {
                    problems.add(name + ": lastError " + rule.path("lastError").asText());
                }
            }
        }
        report(n + " rules evaluated by Prometheus' rule manager, " + problems.size() + " unhealthy");
        assertNoProblems(problems);
    }

    @Test
    void everyRecordingRuleWithEmittedInputsRecordsSeries() {
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : recordingRules.entrySet()) {
            String name = e.getKey();
            Set<String> missing = missingInputs(Set.of(name));
            PrometheusServer.Answer a = prometheus.query(name);
            if (!a.success()) {
                problems.add(name + ": querying the recorded series failed: " + a.error());
                continue;
            }
            int series = a.seriesCount();
            if (missing.isEmpty()) {
                if (series == 0) {
                    problems.add(name + ": its inputs " + rawInputs(Set.of(name)) + " are emitted but it recorded nothing");
                }
                lines.add(String.format("  %-7s %-70s %d series", series > 0 ? "DATA" : "EMPTY", name, series));
            } else {
                lines.add(String.format("  %-7s %-70s %d series; absent inputs %s", "ABSENT", name, series, missing));
            }
        }
        report("recording rules (" + recordingRules.size() + "):\n" + String.join("\n", lines));
        assertNoProblems(problems);
    }

    @Test
    void everyAlertExpressionEvaluatesAndItsBoolFormReturnsDataWhenItsInputsAreEmitted() {
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (JsonNode group : prometheus.rules().data().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!rule.path("type").asText().equals("alerting")) {
                    continue;
                }
                n++;
                String where = rule.path("name").asText() + " (" + rule.path("labels").path("severity").asText() + ")";
                String expr = rule.path("query").asText();
                PrometheusServer.Answer original = prometheus.query(expr);
                if (!original.success()) {
                    problems.add(where + ": " + original.error() + "\n    " + expr);
                    continue;
                }
                Set<String> names = PromQl.names(expr).metrics();
                Set<String> missing = missingInputs(names);
                String probe = PromQlText.hasComparison(expr) ? PromQlText.withBoolComparisons(expr) : expr;
                PrometheusServer.Answer bool = prometheus.query(probe);
                if (!bool.success()) {
                    problems.add(where + ": the bool form does not evaluate: " + bool.error() + "\n    " + probe);
                    continue;
                }
                // The bool form keeps every series the alert itself returns (it only stops filtering).
                Set<Map<String, String>> boolSeries = new HashSet<>(PrometheusServer.labelSets(bool));
                for (Map<String, String> s : PrometheusServer.labelSets(original)) {
                    if (!boolSeries.contains(s)) {
                        problems.add(where + ": the alert returns " + s + " but its bool form does not; the rewrite is"
                                + " wrong\n    " + probe);
                    }
                }
                if (missing.isEmpty() && bool.seriesCount() == 0) {
                    problems.add(where + ": its inputs " + rawInputs(names) + " are emitted, yet with every comparison"
                            + " made bool it returns no series\n    " + probe);
                }
                lines.add(String.format("  %-7s %-44s now %-8s bool form: %d series, alert expression: %d series%s",
                        missing.isEmpty() ? (bool.seriesCount() > 0 ? "DATA" : "EMPTY") : "ABSENT", where,
                        rule.path("state").asText(), bool.seriesCount(), original.seriesCount(),
                        missing.isEmpty() ? "" : "; absent inputs " + missing));
            }
        }
        report("alerting rules (" + n + "), evaluated as written and with comparisons made bool:\n" + String.join("\n", lines));
        PrometheusServer.Answer alerts = prometheus.alerts();
        assertTrue(alerts.success(), "/api/v1/alerts: " + alerts.error());
        assertNoProblems(problems);
    }

    @Test
    void everyDashboardVariableResolves() {
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            GrafanaDashboard d = GrafanaDashboard.load(file);
            Resolution r = resolve(d);
            problems.addAll(r.problems);
            lines.add("  " + d.file + ": " + r.values + (r.notes.isEmpty() ? "" : " " + r.notes));
            if (emitted.contains("vigil_agent_info")) {
                if (d.variables.containsKey("job") && !JOB.equals(r.values.get("job"))) {
                    problems.add(d.file + ": $job resolved to " + r.values.get("job") + ", not the scrape job " + JOB);
                }
                if (d.variables.containsKey("instance") && !instance.equals(r.values.get("instance"))) {
                    problems.add(d.file + ": $instance resolved to " + r.values.get("instance") + ", not " + instance);
                }
            }
        }
        report("dashboard variables (concrete values chosen):\n" + String.join("\n", lines));
        assertNoProblems(problems);
    }

    @Test
    void everyDashboardQueryEvaluatesAndReturnsDataWhenItsMetricsAreEmitted() {
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int[] counts = new int[5]; // evaluations, data, absent, outcome-exempt, failed
        int targets = 0;
        for (Path file : dashboardFiles()) {
            GrafanaDashboard d = GrafanaDashboard.load(file);
            Resolution r = resolve(d);
            problems.addAll(r.problems);
            Map<String, String> all = new LinkedHashMap<>(r.values);
            d.variables.forEach((name, v) -> {
                if (v.multi() || v.includeAll()) {
                    all.put(name, null);
                }
            });
            Map<String, String> builtins = builtins(d);
            // Besides the first value of each variable and "All": every other value (up to a few) of the
            // multi-value variables that list one option per label value (route, pool), so that each real value
            // goes through Grafana's regex escaping once.
            List<Pass> others = new ArrayList<>();
            r.options.forEach((name, options) -> {
                GrafanaDashboard.Variable v = d.variables.get(name);
                if ((v.multi() || v.includeAll()) && !name.equals("job") && !name.equals("instance")) {
                    for (String option : options.subList(Math.min(1, options.size()), Math.min(options.size(), MAX_OPTIONS))) {
                        Map<String, String> values = new LinkedHashMap<>(r.values);
                        values.put(name, option);
                        others.add(new Pass(name, name + "=" + option, values));
                    }
                }
            });
            for (GrafanaDashboard.Target t : d.targets) {
                targets++;
                evaluateTarget(d, t, r.values, builtins, "selected", problems, lines, counts);
                if (d.usesMultiVariable(t.expr())) {
                    evaluateTarget(d, t, all, builtins, "All", problems, lines, counts);
                }
                for (Pass pass : others) {
                    if (GrafanaDashboard.uses(t.expr(), pass.variable())) {
                        evaluateTarget(d, t, pass.values(), builtins, pass.label(), problems, lines, counts);
                    }
                }
            }
        }
        report(String.format("dashboard queries: %d panel targets, %d evaluations: %d returned data, %d empty with"
                + " a metric absent, %d empty because an error outcome did not occur, %d failed%n%s", targets, counts[0],
                counts[1], counts[2], counts[3], counts[4], String.join("\n", lines)));
        assertNoProblems(problems);
    }

    @Test
    void exemplarQueriesAnswer() {
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Set<String> bucketMetrics = new TreeSet<>();
        int n = 0;
        for (Path file : dashboardFiles()) {
            GrafanaDashboard d = GrafanaDashboard.load(file);
            Resolution r = resolve(d);
            Map<String, String> builtins = builtins(d);
            for (GrafanaDashboard.Target t : d.targets) {
                if (!t.exemplar()) {
                    continue;
                }
                n++;
                for (String m : PromQl.names(t.expr()).metrics()) {
                    if (m.endsWith("_bucket")) {
                        bucketMetrics.add(m);
                    }
                }
                String expr;
                try {
                    expr = d.interpolate(t.expr(), r.values, builtins);
                } catch (IllegalArgumentException e) {
                    problems.add(t.where() + ": " + e.getMessage());
                    continue;
                }
                PrometheusServer.Answer a = prometheus.queryExemplars(expr, Duration.ofMinutes(5));
                if (!a.success()) {
                    problems.add(t.where() + ": query_exemplars failed: " + a.error() + "\n    " + expr);
                }
            }
        }
        MetricsSnapshot openMetrics = null;
        String openMetricsProblem = null;
        try {
            openMetrics = demo.openMetrics();
        } catch (RuntimeException | AssertionError e) {
            openMetricsProblem = e.getMessage();
        }
        for (String bucket : bucketMetrics) {
            PrometheusServer.Answer a = prometheus.queryExemplars(bucket + "{job=\"" + JOB + "\"}", Duration.ofMinutes(5));
            if (!a.success()) {
                problems.add(bucket + ": query_exemplars failed: " + a.error());
                continue;
            }
            int exemplars = 0;
            boolean traceIds = true;
            for (JsonNode series : a.data()) {
                for (JsonNode ex : series.path("exemplars")) {
                    exemplars++;
                    traceIds &= ex.path("labels").has("trace_id");
                }
            }
            long exposed = openMetrics == null ? -1
                    : openMetrics.samples().stream().filter(s -> s.name().equals(bucket) && hasExemplar(s)).count();
            if (emitted.contains(bucket) && exposed > 0 && exemplars == 0) {
                problems.add(bucket + ": the agent exposes " + exposed + " bucket(s) with an exemplar over OpenMetrics,"
                        + " but Prometheus stored none");
            }
            if (exemplars > 0 && !traceIds) {
                problems.add(bucket + ": an exemplar without a trace_id label: " + a.data());
            }
            lines.add(String.format("  %-50s %s; %d exemplar(s) in Prometheus; %s", bucket,
                    emitted.contains(bucket) ? "emitted" : "ABSENT", exemplars,
                    exposed < 0 ? "agent OpenMetrics not parsed: " + openMetricsProblem
                            : exposed + " bucket line(s) with an exemplar in the agent's OpenMetrics scrape"));
        }
        report("exemplars: " + n + " dashboard targets with exemplars on, query_exemplars for each; per histogram:\n"
                + String.join("\n", lines));
        assertNoProblems(problems);
    }

    // --- dashboards -----------------------------------------------------------------------------

    private static void evaluateTarget(GrafanaDashboard d, GrafanaDashboard.Target t, Map<String, String> values,
            Map<String, String> builtins, String pass, List<String> problems, List<String> lines, int[] counts) {
        String where = t.where() + " [" + pass + (t.instant() ? ", instant" : ", range") + "]";
        String expr;
        try {
            expr = d.interpolate(t.expr(), values, builtins);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            counts[4]++;
            return;
        }
        counts[0]++;
        PrometheusServer.Answer a = t.instant() ? prometheus.query(expr) : prometheus.queryRange(expr, RANGE, STEP);
        if (!a.success()) {
            problems.add(where + ": " + a.error() + "\n    " + expr);
            lines.add("  FAILED  " + where);
            counts[4]++;
            return;
        }
        if (!a.warnings().isEmpty()) {
            lines.add("  WARNING " + where + ": " + a.warnings());
        }
        Set<String> names = PromQl.names(t.expr()).metrics();
        Set<String> missing = missingInputs(names);
        int series = a.seriesCount();
        if (!missing.isEmpty()) {
            counts[series > 0 ? 1 : 2]++;
            lines.add(String.format("  %-7s %s: %d series; absent %s", series > 0 ? "DATA" : "ABSENT", where, series, missing));
            return;
        }
        List<String> emptyOutcomes = new ArrayList<>();
        for (String selector : PromQlText.selectors(expr, names)) {
            PrometheusServer.Answer count = prometheus.query("count(" + selector + ")");
            if (!count.success()) {
                problems.add(where + ": cannot count " + selector + ": " + count.error());
            } else if (count.seriesCount() == 0) {
                if (filtersOnOutcome(selector)) {
                    emptyOutcomes.add(selector);
                } else {
                    problems.add(where + ": selector " + selector + " matches no series although "
                            + rawInputs(Set.of(selector.replaceAll("(?s)\\{.*", ""))) + " is emitted (wrong label, value or"
                            + " bucket?)");
                }
            }
        }
        if (series > 0) {
            counts[1]++;
            lines.add(String.format("  %-7s %s: %d series", "DATA", where, series));
        } else if (!emptyOutcomes.isEmpty()) {
            counts[3]++;
            lines.add(String.format("  %-7s %s: no data; no series yet for %s", "OUTCOME", where, emptyOutcomes));
        } else {
            counts[4]++;
            problems.add(where + ": returned no data although " + rawInputs(names) + " are emitted\n    " + expr);
            lines.add("  FAILED  " + where + ": no data");
        }
    }

    private static boolean filtersOnOutcome(String selector) {
        int open = selector.indexOf('{');
        if (open < 0) {
            return false;
        }
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)")
                .matcher(PromQlText.mask(selector.substring(open + 1), false));
        while (m.find()) {
            if (OUTCOME_LABELS.contains(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    /** One more evaluation of the targets that use {@code variable}, with another of its values. */
    private record Pass(String variable, String label, Map<String, String> values) {
    }

    /** The values chosen for a dashboard's variables, resolved through Prometheus like Grafana would. */
    private record Resolution(Map<String, String> values, Map<String, List<String>> options, List<String> problems,
            List<String> notes) {
    }

    private static Resolution resolve(GrafanaDashboard d) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, List<String>> optionsByName = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> builtins = builtins(d);
        for (String used : d.usedVariables()) {
            if (!builtins.containsKey(used) && !d.variables.containsKey(used)) {
                problems.add(d.file + ": uses unknown variable $" + used);
            }
        }
        for (GrafanaDashboard.Variable v : d.variables.values()) {
            switch (v.type()) {
                case "datasource" -> {
                    // not part of any query; interpolate() rejects it inside one
                }
                case "custom", "interval" -> values.put(v.name(), v.options().isEmpty() ? null : v.options().get(0));
                case "constant", "textbox" -> values.put(v.name(), v.query());
                case "query" -> {
                    String[] lv = v.labelValues();
                    if (lv == null) {
                        problems.add(d.file + ": variable $" + v.name() + " is not label_values(...): " + v.query()
                                + " (not modelled by this test)");
                        continue;
                    }
                    String match;
                    try {
                        match = lv[0] == null ? null : d.interpolate(lv[0], values, builtins);
                    } catch (IllegalArgumentException e) {
                        problems.add(d.file + ": variable $" + v.name() + ": " + e.getMessage());
                        continue;
                    }
                    PrometheusServer.Answer a = prometheus.labelValues(lv[1], match);
                    if (!a.success()) {
                        problems.add(d.file + ": variable $" + v.name() + " query fails: " + a.error() + " (" + match + ")");
                        continue;
                    }
                    List<String> options = PrometheusServer.strings(a);
                    optionsByName.put(v.name(), options);
                    Set<String> missing = missingInputs(PromQl.variableQueryNames(v.query()).metrics());
                    if (options.isEmpty() && missing.isEmpty()) {
                        problems.add(d.file + ": variable $" + v.name() + " has no values although its metrics are"
                                + " emitted: label_values(" + match + ", " + lv[1] + ")");
                    }
                    String chosen;
                    if (v.name().equals("job") && options.contains(JOB)) {
                        chosen = JOB;
                    } else if (v.name().equals("instance") && options.contains(instance)) {
                        chosen = instance;
                    } else if (!options.isEmpty()) {
                        chosen = options.get(0);
                    } else if (v.name().equals("job")) {
                        chosen = JOB;
                        notes.add("$job: no values (absent " + missing + "), using the scrape job");
                    } else if (v.name().equals("instance")) {
                        chosen = instance;
                        notes.add("$instance: no values (absent " + missing + "), using the target");
                    } else if (v.includeAll()) {
                        chosen = null;
                        notes.add("$" + v.name() + ": no values (absent " + missing + "), using All");
                    } else {
                        problems.add(d.file + ": variable $" + v.name() + " has no value and no 'All' to fall back on");
                        continue;
                    }
                    values.put(v.name(), chosen);
                }
                default -> problems.add(d.file + ": variable $" + v.name() + " has type " + v.type()
                        + ", which this test does not model");
            }
        }
        return new Resolution(values, optionsByName, problems, notes);
    }

    /** Grafana's built-in variables, as a panel showing the dashboard's default time range would set them. */
    private static Map<String, String> builtins(GrafanaDashboard d) {
        long now = System.currentTimeMillis();
        long range = d.timeRange.toSeconds();
        Map<String, String> b = new LinkedHashMap<>();
        b.put("__rate_interval", RATE_INTERVAL.toSeconds() + "s");
        b.put("__rate_interval_ms", String.valueOf(RATE_INTERVAL.toMillis()));
        b.put("__interval", STEP.toSeconds() + "s");
        b.put("__interval_ms", String.valueOf(STEP.toMillis()));
        b.put("__range", range + "s");
        b.put("__range_s", String.valueOf(range));
        b.put("__range_ms", String.valueOf(range * 1000));
        b.put("__from", String.valueOf(now - range * 1000));
        b.put("__to", String.valueOf(now));
        b.put("__dashboard", d.title);
        return b;
    }

    private static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(repo.resolve("dashboards"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- metric names ---------------------------------------------------------------------------

    /** The raw metric names behind {@code names}, following recording rules (and ignoring self references). */
    private static Set<String> rawInputs(Set<String> names) {
        Set<String> raw = new TreeSet<>();
        collectRaw(names, raw, new HashSet<>());
        return raw;
    }

    private static void collectRaw(Set<String> names, Set<String> raw, Set<String> seen) {
        for (String name : names) {
            if (!seen.add(name)) {
                continue;
            }
            List<String> exprs = recordingRules.get(name);
            if (exprs == null) {
                raw.add(name);
            } else {
                for (String expr : exprs) {
                    collectRaw(PromQl.names(expr).metrics(), raw, seen);
                }
            }
        }
    }

    private static Set<String> missingInputs(Set<String> names) {
        Set<String> missing = rawInputs(names);
        missing.removeAll(emitted);
        return missing;
    }

    /** The metrics of docs/metrics.md of which Prometheus saw no series at all (some need traffic this run lacks). */
    private static Set<String> absentDocumentedMetrics() {
        Set<String> families = new TreeSet<>();
        for (MetricReference.Metric metric : MetricReference.load().metrics().values()) {
            if (metric.series(false).stream().noneMatch(emitted::contains)) {
                families.add(metric.name());
            }
        }
        return families;
    }

    private static boolean hasExemplar(Sample s) {
        return s.exemplarLabels() != null && !s.exemplarLabels().isEmpty();
    }

    // --- start-up helpers -----------------------------------------------------------------------

    private static void awaitDemoServes(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(demo.isAlive(), "the demo exited:\n" + demo.output());
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demoPort + "/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not serving yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            PrometheusServer.sleep(100);
        }
        fail("the demo did not serve http://127.0.0.1:" + demoPort + "/ within " + timeout + ":\n" + demo.output());
    }

    /** {@link #LOAD_REQUESTS} requests over the demo's pages (errors and slow ones included) from a few threads. */
    private static void generateLoad() {
        String[] pages = {"/", "/owners", "/owners/1", "/owners/2", "/owners/3", "/owners/42", "/owners/abc",
            "/visits", "POST /visits", "/fail", "/missing/page", "/owners", "/visits", "/", "/owners/1", "/fail",
            "POST /visits", "/owners/2", "/visits", "/slow"};
        AtomicInteger next = new AtomicInteger();
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(LOAD_THREADS);
        try {
            for (int w = 0; w < LOAD_THREADS; w++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < LOAD_REQUESTS) {
                        String page = pages[i % pages.length];
                        boolean post = page.startsWith("POST ");
                        String path = post ? page.substring(5) : page;
                        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demoPort + path))
                                .timeout(Duration.ofSeconds(10));
                        req = post ? req.POST(HttpRequest.BodyPublishers.noBody()) : req.GET();
                        String key;
                        try {
                            key = String.valueOf(HTTP.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                        } catch (IOException e) {
                            key = e.getClass().getSimpleName();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        statuses.merge(key, 1, Integer::sum);
                        PrometheusServer.sleep(20);
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        try {
            if (!pool.awaitTermination(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                fail("the load of " + LOAD_REQUESTS + " requests did not finish within " + LOAD_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        loadEnded = Instant.now();
        loadStatuses.putAll(statuses);
        assertTrue(statuses.getOrDefault("200", 0) > 0, "no request to the demo succeeded: " + statuses);
    }

    private static boolean allGroupsEvaluatedAfter(long epochMillis) {
        PrometheusServer.Answer rules = prometheus.rules();
        if (!rules.success() || rules.data().path("groups").isEmpty()) {
            return false;
        }
        for (JsonNode group : rules.data().path("groups")) {
            String last = group.path("lastEvaluation").asText("");
            try {
                if (last.isEmpty() || Instant.parse(last).toEpochMilli() < epochMillis) {
                    return false;
                }
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
        return true;
    }

    private static void awaitCondition(long fromNanos, String what, java.util.function.BooleanSupplier condition) {
        long deadline = fromNanos + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(prometheus.isAlive(), "prometheus exited:\n" + prometheus.logTail(40));
            if (condition.getAsBoolean()) {
                return;
            }
            PrometheusServer.sleep(250);
        }
        fail("waited " + SETTLE_TIMEOUT + " after Prometheus started for " + what + ".\nTargets: "
                + prometheus.targets().raw() + "\nprometheus log:\n" + prometheus.logTail(40) + "\ndemo output:\n"
                + demo.output());
    }

    private static void assertNoProblems(List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n- " + String.join("\n- ", problems));
        }
    }

    private static void report(String text) {
        System.out.println("[live-prometheus] " + text);
    }
}
