package io.vigil.it.rules;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the metric names and label names out of a PromQL expression, well enough to check them
 * against the metric contract. Not a parser: promtool and Prometheus check syntax; this only has to
 * find every selector's name and every label used in matchers and in {@code by}/{@code without}/
 * {@code on}/{@code ignoring}/{@code group_left}/{@code group_right} clauses. Grafana variables
 * ({@code $job}, {@code ${datasource}}, {@code $__rate_interval}) are accepted.
 */
public final class PromQl {

    /** Names found in one expression. */
    public record Names(Set<String> metrics, Set<String> labels) {
    }

    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^()]*)\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern MODIFIER = Pattern.compile("\\b(offset)\\s+-?[0-9A-Za-z_.]+|@\\s*[-0-9.a-z()]+");
    private static final Pattern TOKEN = Pattern.compile(
            "0[xX][0-9a-fA-F]+|[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|([A-Za-z_:][A-Za-z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "inf", "nan", "Inf", "NaN");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^\\s*label_values\\s*\\((?:(.*),)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);

    private PromQl() {
    }

    public static Names names(String expr) {
        Set<String> metrics = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        String e = GRAFANA_VARIABLE.matcher(expr).replaceAll("0");
        e = STRING.matcher(e).replaceAll("\"\"");

        Matcher m = MATCHERS.matcher(e);
        while (m.find()) {
            Matcher label = MATCHER_LABEL.matcher(m.group(1));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        e = MATCHERS.matcher(e).replaceAll(" ");

        Matcher g = GROUPING.matcher(e);
        while (g.find()) {
            for (String l : g.group(2).split(",")) {
                if (!l.isBlank()) {
                    labels.add(l.strip());
                }
            }
        }
        e = GROUPING.matcher(e).replaceAll(" ");
        e = RANGE.matcher(e).replaceAll(" ");
        e = MODIFIER.matcher(e).replaceAll(" ");

        Matcher t = TOKEN.matcher(e);
        while (t.find()) {
            String ident = t.group(1);
            if (ident == null || KEYWORDS.contains(ident)) {
                continue;
            }
            int next = t.end();
            while (next < e.length() && Character.isWhitespace(e.charAt(next))) {
                next++;
            }
            boolean isFunction = next < e.length() && e.charAt(next) == '(';
            if (!isFunction) {
                metrics.add(ident);
            }
        }
        return new Names(metrics, labels);
    }

    /**
     * Names in a Grafana Prometheus variable query: {@code label_values(selector, label)} or a plain
     * PromQL query.
     */
    public static Names variableQueryNames(String query) {
        Matcher lv = LABEL_VALUES.matcher(query);
        if (!lv.matches()) {
            return names(query);
        }
        Names inner = lv.group(1) == null ? new Names(new TreeSet<>(), new TreeSet<>()) : names(lv.group(1));
        Set<String> labels = new TreeSet<>(inner.labels());
        labels.add(lv.group(2));
        return new Names(inner.metrics(), labels);
    }
}
