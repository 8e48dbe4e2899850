package io.vigil.it.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Grafana dashboard as the live test needs it: its Prometheus queries (panels nested in rows
 * included), its template variables, and Grafana's variable interpolation, done the way Grafana's
 * Prometheus datasource does it. Every {@code $}-variable must be a built-in this class knows or one
 * of the dashboard's own; anything else is an error, not a silent pass.
 */
final class GrafanaDashboard {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code $var}, {@code ${var}}, {@code ${var:format}}, {@code [[var]]}, {@code [[var:format]]}. */
    static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{([A-Za-z0-9_]+)(?::([A-Za-z0-9_]+))?}|\\$([A-Za-z0-9_]+)|\\[\\[([A-Za-z0-9_]+)(?::([A-Za-z0-9_]+))?]]");
    private static final Pattern RELATIVE_FROM = Pattern.compile("^now-(\\d+)([smhdwy])$");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^\\s*label_values\\s*\\((?:(.*),)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);
    /** Grafana's prometheusSpecialRegexEscape: these get two backslashes in the PromQL string. */
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[$^*{}\\[\\]'+?.()|]");

    /** One query of one panel. */
    record Target(String dashboard, String panel, String panelType, String refId, String expr, boolean instant,
            String format, boolean exemplar) {

        String where() {
            return dashboard + " / '" + panel + "' " + refId;
        }
    }

    /** One template variable. */
    record Variable(String name, String type, String query, boolean multi, boolean includeAll, String allValue,
            List<String> options) {

        /** {@code label_values(selector, label)}: the selector (may be null) and the label; null if another query. */
        String[] labelValues() {
            Matcher m = LABEL_VALUES.matcher(query == null ? "" : query);
            return m.matches() ? new String[] {m.group(1) == null ? null : m.group(1).strip(), m.group(2)} : null;
        }
    }

    final String file;
    final String title;
    final Duration timeRange;
    final List<Target> targets = new ArrayList<>();
    final Map<String, Variable> variables = new LinkedHashMap<>();

    private GrafanaDashboard(Path path) {
        JsonNode d;
        try {
            d = JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(path + " is not valid JSON", e);
        }
        file = path.getFileName().toString();
        title = d.path("title").asText(file);
        timeRange = timeRange(d.path("time").path("from").asText("now-1h"));
        for (JsonNode v : d.path("templating").path("list")) {
            JsonNode q = v.path("query");
            String query = q.isObject() ? q.path("query").asText() : q.asText();
            List<String> options = new ArrayList<>();
            v.path("options").forEach(o -> options.add(o.path("value").asText()));
            if (options.isEmpty() && ("custom".equals(v.path("type").asText()) || "interval".equals(v.path("type").asText()))) {
                for (String o : query.split(",")) {
                    if (!o.isBlank()) {
                        options.add(o.strip());
                    }
                }
            }
            variables.put(v.path("name").asText(), new Variable(v.path("name").asText(), v.path("type").asText(), query,
                    v.path("multi").asBoolean(), v.path("includeAll").asBoolean(),
                    v.hasNonNull("allValue") ? v.path("allValue").asText() : null, options));
        }
        collect(d.path("panels"));
    }

    static GrafanaDashboard load(Path path) {
        return new GrafanaDashboard(path);
    }

    private void collect(JsonNode panels) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                targets.add(new Target(file, p.path("title").asText(), p.path("type").asText(), t.path("refId").asText(),
                        t.path("expr").asText(), t.path("instant").asBoolean(false) && !t.path("range").asBoolean(false),
                        t.path("format").asText("time_series"), t.path("exemplar").asBoolean(false)));
            }
            collect(p.path("panels"));
        }
    }

    /** Whether {@code expr} uses the variable {@code name}, in any syntax. */
    static boolean uses(String expr, String name) {
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            if (name.equals(name(m))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the expression uses one of the dashboard's multi-value or "All" variables. */
    boolean usesMultiVariable(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            Variable v = variables.get(name(m));
            if (v != null && (v.multi() || v.includeAll())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces every variable in {@code text}. {@code values} holds the chosen value of each dashboard
     * variable (null for "All"); {@code builtins} the values of Grafana's {@code $__} variables.
     *
     * @throws IllegalArgumentException on an unknown variable, a datasource variable inside a query, or an
     *     unknown format
     */
    String interpolate(String text, Map<String, String> values, Map<String, String> builtins) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = name(m);
            String format = m.group(2) != null ? m.group(2) : m.group(5);
            String replacement;
            if (builtins.containsKey(name)) {
                replacement = builtins.get(name);
            } else if (variables.containsKey(name)) {
                Variable v = variables.get(name);
                if (v.type().equals("datasource")) {
                    throw new IllegalArgumentException("datasource variable $" + name + " inside a query: " + text);
                }
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("variable $" + name + " has no value (resolve it first): " + text);
                }
                String value = values.get(name);
                if (value == null) { // All
                    if (v.allValue() == null) {
                        throw new IllegalArgumentException("$" + name + " has 'All' but no allValue; Grafana would join"
                                + " every value, which this test does not model: " + text);
                    }
                    replacement = v.allValue();
                } else if (format == null) {
                    replacement = v.multi() || v.includeAll() ? regexEscape(value) : regularEscape(value);
                } else {
                    replacement = switch (format) {
                        case "raw" -> value;
                        case "regex" -> regexEscape(value);
                        default -> throw new IllegalArgumentException("variable format :" + format + " is not modelled: "
                                + text);
                    };
                }
            } else {
                throw new IllegalArgumentException("unknown variable $" + name + " (neither a Grafana built-in this"
                        + " test knows, " + builtins.keySet() + ", nor a variable of " + file + ", " + variables.keySet()
                        + ") in: " + text);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every variable name used in the dashboard's queries and variable queries. */
    Set<String> usedVariables() {
        Set<String> used = new java.util.TreeSet<>();
        List<String> texts = new ArrayList<>();
        targets.forEach(t -> texts.add(t.expr()));
        variables.values().forEach(v -> texts.add(v.query() == null ? "" : v.query()));
        for (String t : texts) {
            Matcher m = VARIABLE.matcher(t);
            while (m.find()) {
                used.add(name(m));
            }
        }
        return used;
    }

    private static String name(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(4);
    }

    /** Grafana's prometheusRegularEscape, for a single-value variable. */
    static String regularEscape(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\\\'");
    }

    /** A value as Grafana puts a multi-value variable into a PromQL regex matcher (prometheusSpecialRegexEscape). */
    static String regexEscape(String value) {
        String s = value.replace("\\", "\\\\\\\\");
        return REGEX_SPECIAL.matcher(s).replaceAll(r -> Matcher.quoteReplacement("\\\\" + r.group()));
    }

    private static Duration timeRange(String from) {
        Matcher m = RELATIVE_FROM.matcher(from);
        if (!m.matches()) {
            return Duration.ofHours(1);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(365 * n);
        };
    }
}
