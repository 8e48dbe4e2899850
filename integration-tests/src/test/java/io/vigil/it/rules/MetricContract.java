package io.vigil.it.rules;

import io.vigil.it.harness.MetricReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The series a dashboard or rule may use: every metric that docs/metrics.md documents (the agent's
 * own and simpleclient_hotspot's JVM and process series), Prometheus' {@code up}, and the recording
 * rules defined in {@code alerts/vigil-rules.yml}. The reference page is the one list; the metric
 * reference IT keeps it equal to what the agent emits.
 */
final class MetricContract {

    /** Label names of the documented metrics, and the ones histograms and Prometheus add. */
    static final Set<String> LABELS = labels();

    private MetricContract() {
    }

    private static Set<String> labels() {
        Set<String> names = new TreeSet<>(MetricReference.load().labelNames());
        names.addAll(List.of("le", "job", "instance"));
        return Collections.unmodifiableSet(names);
    }

    /** Documented series (as the classic text format exposes them) + {@code up}. */
    static Set<String> rawMetrics() {
        Set<String> names = new TreeSet<>();
        for (MetricReference.Metric metric : MetricReference.load().metrics().values()) {
            names.addAll(metric.series(false));
        }
        names.add("up");
        return Collections.unmodifiableSet(names);
    }

    /** Raw metrics plus every recording rule of alerts/vigil-rules.yml. */
    static Set<String> knownMetrics() {
        Set<String> names = new TreeSet<>(rawMetrics());
        for (Map<String, Object> rule : Rules.load().recordingRules()) {
            names.add(MiniYaml.string(rule.get("record")));
        }
        return names;
    }

    /** The parsed alerts/vigil-rules.yml. */
    record Rules(List<Map<String, Object>> alerts, List<Map<String, Object>> recordingRules) {

        private static Rules loaded;

        static synchronized Rules load() {
            if (loaded == null) {
                Path file = RepoRoot.resolve("alerts/vigil-rules.yml");
                Object root = MiniYaml.parse(read(file), file.toString());
                List<Map<String, Object>> alerts = new ArrayList<>();
                List<Map<String, Object>> records = new ArrayList<>();
                for (Object group : MiniYaml.list(MiniYaml.map(root).get("groups"))) {
                    for (Object r : MiniYaml.list(MiniYaml.map(group).get("rules"))) {
                        Map<String, Object> rule = new LinkedHashMap<>(MiniYaml.map(r));
                        rule.put("_group", MiniYaml.map(group).get("name"));
                        (rule.containsKey("alert") ? alerts : records).add(rule);
                    }
                }
                loaded = new Rules(List.copyOf(alerts), List.copyOf(records));
            }
            return loaded;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
