package io.vigil.it.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs Prometheus' and Alertmanager's own checkers on {@code alerts/} and {@code examples/}: the rule
 * file loads, its promtool unit tests pass, the Alertmanager configuration is valid and routes by
 * severity, and the example Prometheus configuration (which loads the rules) is valid. Also checks
 * that the unit tests cover every alert, both firing and quiet, and every recording rule.
 *
 * <p>Installs promtool and amtool with apt-get when they are missing (see {@link RuleTools}).
 */
class AlertRulesIT {

    private static final String RULES = "alerts/vigil-rules.yml";
    private static final String ALERTMANAGER = "alerts/alertmanager.yml";
    private static final String EXAMPLE_PROMETHEUS = "examples/prometheus/prometheus.yml";

    @BeforeAll
    static void installTools() {
        RuleTools.ensureInstalled();
    }

    @Test
    void ruleFileLoads() {
        assertSucceeds(RuleTools.run(RuleTools.tool("promtool"), "check", "rules", RULES));
    }

    @Test
    void ruleUnitTestsPass() {
        List<String> command = new ArrayList<>(List.of(RuleTools.tool("promtool"), "test", "rules"));
        List<String> tests = testFiles().stream().map(p -> RepoRoot.get().relativize(p).toString()).toList();
        assertFalse(tests.isEmpty(), "no alerts/tests/*.yml");
        command.addAll(tests);
        assertSucceeds(RuleTools.run(command));
    }

    @Test
    void alertmanagerConfigIsValid() {
        assertSucceeds(RuleTools.run(RuleTools.tool("amtool"), "check-config", ALERTMANAGER));
    }

    @Test
    void examplePrometheusConfigIsValidAndLoadsTheRules() {
        RuleTools.Result result = RuleTools.run(RuleTools.tool("promtool"), "check", "config", EXAMPLE_PROMETHEUS);
        assertSucceeds(result);
        assertTrue(result.output().contains("vigil-rules.yml"),
                "the example configuration does not load alerts/vigil-rules.yml\n" + result.describe());
    }

    @ParameterizedTest(name = "severity={0} goes to {1}")
    @CsvSource({"critical, pager", "warning, chat-and-email", "info, chat"})
    void alertsAreRoutedBySeverity(String severity, String receiver) {
        assertSucceeds(RuleTools.run(RuleTools.tool("amtool"), "config", "routes", "test",
                "--config.file=" + ALERTMANAGER, "--verify.receivers=" + receiver,
                "alertname=VigilTargetDown", "job=shop", "instance=a:9464", "severity=" + severity));
    }

    @Test
    void alertmanagerReadsSecretsOnlyFromFiles() {
        Path file = RepoRoot.resolve(ALERTMANAGER);
        Object root = MiniYaml.parse(MetricContract.read(file), file.toString());
        Set<String> keys = new TreeSet<>();
        collectKeys(root, keys);
        Set<String> inline = new TreeSet<>(Set.of("routing_key", "service_key", "api_url", "slack_api_url",
                "auth_password", "auth_secret", "smtp_auth_password", "smtp_auth_secret", "password",
                "bearer_token", "api_key", "token", "credentials"));
        inline.retainAll(keys);
        assertTrue(inline.isEmpty(), "secrets written inline in " + ALERTMANAGER + ": " + inline
                + " (use the *_file settings)");
        for (String required : List.of("routing_key_file", "api_url_file", "auth_password_file")) {
            assertTrue(keys.contains(required), ALERTMANAGER + " has no " + required);
        }
    }

    @Test
    void alertmanagerInhibitsDuplicateNotifications() {
        Path file = RepoRoot.resolve(ALERTMANAGER);
        Map<String, Object> root = MiniYaml.map(MiniYaml.parse(MetricContract.read(file), file.toString()));
        boolean targetDown = false;
        boolean criticalOverWarning = false;
        for (Object r : MiniYaml.list(root.get("inhibit_rules"))) {
            Map<String, Object> rule = MiniYaml.map(r);
            List<Object> source = MiniYaml.list(rule.get("source_matchers"));
            List<Object> target = MiniYaml.list(rule.get("target_matchers"));
            List<Object> equal = MiniYaml.list(rule.get("equal"));
            if (source.contains("alertname=\"VigilTargetDown\"") && equal.contains("instance")
                    && target.contains("alertname!=\"VigilTargetDown\"")) {
                targetDown = true;
            }
            if (source.contains("severity=\"critical\"") && target.contains("severity=\"warning\"")
                    && equal.contains("alertname") && equal.contains("instance")) {
                criticalOverWarning = true;
            }
        }
        assertTrue(targetDown, "VigilTargetDown must inhibit the other Vigil alerts of its instance");
        assertTrue(criticalOverWarning, "a critical alert must inhibit the warning of the same alertname and instance");
    }

    @Test
    void everyAlertFiresOnABadSeriesAndStaysQuietOnAGoodOne() {
        Set<String> fires = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Map<String, Object> test : alertRuleTests()) {
            String alertname = MiniYaml.string(test.get("alertname"));
            List<Object> expected = MiniYaml.list(test.get("exp_alerts"));
            if (expected.isEmpty()) {
                quiet.add(alertname);
            }
            for (Object e : expected) {
                Map<String, Object> labels = MiniYaml.map(MiniYaml.map(e).get("exp_labels"));
                fires.add(alertname + "/" + labels.get("severity"));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> alert : MetricContract.Rules.load().alerts()) {
            String name = MiniYaml.string(alert.get("alert"));
            String severity = MiniYaml.string(MiniYaml.map(alert.get("labels")).get("severity"));
            if (!fires.contains(name + "/" + severity)) {
                missing.add(name + " (" + severity + ") never fires in alerts/tests");
            }
            if (!quiet.contains(name)) {
                missing.add(name + " is never expected quiet (exp_alerts: []) in alerts/tests");
            }
        }
        if (!missing.isEmpty()) {
            fail(String.join("\n", missing));
        }
    }

    @Test
    void everyRecordingRuleIsCheckedAgainstExpectedValues() {
        StringBuilder exprs = new StringBuilder();
        for (Path test : testFiles()) {
            Map<String, Object> root = MiniYaml.map(MiniYaml.parse(MetricContract.read(test), test.toString()));
            for (Object t : MiniYaml.list(root.get("tests"))) {
                for (Object e : MiniYaml.list(MiniYaml.map(t).get("promql_expr_test"))) {
                    Map<String, Object> exprTest = MiniYaml.map(e);
                    assertFalse(MiniYaml.list(exprTest.get("exp_samples")).isEmpty(),
                            test + ": promql_expr_test of " + exprTest.get("expr") + " expects nothing");
                    exprs.append(exprTest.get("expr")).append('\n');
                }
            }
        }
        Set<String> checked = PromQl.names(exprs.toString()).metrics();
        List<String> unchecked = new ArrayList<>();
        for (Map<String, Object> rule : MetricContract.Rules.load().recordingRules()) {
            String record = MiniYaml.string(rule.get("record"));
            if (!checked.contains(record)) {
                unchecked.add(record);
            }
        }
        assertEquals(List.of(), unchecked, "recording rules without a promql_expr_test in alerts/tests");
    }

    // ------------------------------------------------------------------------------------------

    private static List<Path> testFiles() {
        try (Stream<Path> files = Files.list(RepoRoot.resolve("alerts/tests"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list alerts/tests", e);
        }
    }

    private static List<Map<String, Object>> alertRuleTests() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path test : testFiles()) {
            Map<String, Object> root = MiniYaml.map(MiniYaml.parse(MetricContract.read(test), test.toString()));
            for (Object t : MiniYaml.list(root.get("tests"))) {
                for (Object a : MiniYaml.list(MiniYaml.map(t).get("alert_rule_test"))) {
                    out.add(MiniYaml.map(a));
                }
            }
        }
        return out;
    }

    private static void collectKeys(Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                keys.add(String.valueOf(e.getKey()));
                collectKeys(e.getValue(), keys);
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                collectKeys(item, keys);
            }
        }
    }

    private static void assertSucceeds(RuleTools.Result result) {
        if (!result.ok()) {
            fail(result.describe());
        }
    }
}
