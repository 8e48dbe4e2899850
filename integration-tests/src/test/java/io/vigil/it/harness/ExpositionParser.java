package io.vigil.it.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser of the Prometheus text format 0.0.4 and of OpenMetrics 1.0 text (with
 * exemplars). It rejects what Prometheus would reject — bad names, bad escapes, samples without a
 * family, a family declared twice, a missing {@code # EOF} in OpenMetrics — so a test that parses
 * the agent's output also proves the exposition is well-formed.
 */
public final class ExpositionParser {

  private static final List<String> SUFFIXES = List.of("_bucket", "_sum", "_count", "_total", "_created", "_info", "_gsum", "_gcount");

  private final boolean openMetrics;
  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new HashMap<>();
  private final Set<String> helped = new java.util.HashSet<>();
  private int lineNumber;

  private ExpositionParser(boolean openMetrics) {
    this.openMetrics = openMetrics;
  }

  public static MetricsSnapshot parse(String text, boolean openMetrics) {
    ExpositionParser parser = new ExpositionParser(openMetrics);
    parser.parseAll(text);
    return new MetricsSnapshot(Collections.unmodifiableList(parser.samples), Collections.unmodifiableMap(parser.types));
  }

  private void parseAll(String text) {
    String[] lines = text.split("\n", -1);
    boolean sawEof = false;
    for (int i = 0; i < lines.length; i++) {
      lineNumber = i + 1;
      String line = lines[i];
      if (sawEof) {
        if (!(line.isEmpty() && i == lines.length - 1)) {
          fail("content after # EOF");
        }
        continue;
      }
      if (line.isEmpty()) {
        if (openMetrics && i != lines.length - 1) {
          fail("empty line in OpenMetrics");
        }
        continue;
      }
      if (line.equals("# EOF")) {
        sawEof = true;
        continue;
      }
      if (line.startsWith("#")) {
        comment(line);
      } else {
        samples.add(sample(line));
      }
    }
    if (openMetrics && !sawEof) {
      fail("OpenMetrics exposition does not end with # EOF");
    }
  }

  private void comment(String line) {
    String[] parts = line.split(" ", 4);
    if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE") || parts[1].equals("UNIT"))) {
      String name = parts[2];
      checkMetricName(name);
      if (parts[1].equals("TYPE")) {
        if (parts.length != 4) {
          fail("TYPE without a type");
        }
        String type = parts[3];
        if (!Set.of("counter", "gauge", "histogram", "summary", "untyped", "unknown", "info", "stateset", "gaugehistogram")
            .contains(type)) {
          fail("unknown type " + type);
        }
        if (types.put(name, type) != null) {
          fail("family " + name + " declared twice");
        }
      } else if (parts[1].equals("HELP") && !helped.add(name)) {
        fail("HELP for " + name + " given twice");
      }
    } else if (openMetrics) {
      fail("unknown comment in OpenMetrics: " + line);
    }
  }

  private Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    checkMetricName(name);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i, labels);
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      fail("expected a space before the value");
    }
    i++;
    int end = line.indexOf(' ', i);
    String valueText = end < 0 ? line.substring(i) : line.substring(i, end);
    double value = number(valueText);
    Map<String, String> exemplar = null;
    if (end >= 0) {
      String rest = line.substring(end + 1);
      int hash = rest.indexOf(" # ");
      String timestamp = hash >= 0 ? rest.substring(0, hash) : rest;
      if (rest.startsWith("# ")) {
        timestamp = "";
        hash = -1;
        exemplar = exemplar(rest.substring(2));
      }
      if (!timestamp.isEmpty()) {
        number(timestamp);
      }
      if (hash >= 0) {
        exemplar = exemplar(rest.substring(hash + 3));
      }
    }
    if (familyOf(name) == null) {
      fail("sample " + name + " belongs to no declared family");
    }
    return new Sample(name, Collections.unmodifiableMap(labels), value, exemplar);
  }

  private Map<String, String> exemplar(String text) {
    if (!openMetrics) {
      fail("exemplar in the 0.0.4 text format");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (!text.startsWith("{")) {
      fail("exemplar without labels");
    }
    int i = labels(text, 0, labels);
    String[] rest = text.substring(i).trim().split(" ");
    for (String part : rest) {
      number(part);
    }
    return Collections.unmodifiableMap(labels);
  }

  /** Parses {@code {a="b",c="d"}} starting at the brace; returns the index after the closing brace. */
  private int labels(String line, int start, Map<String, String> out) {
    int i = start + 1;
    while (true) {
      if (i >= line.length()) {
        fail("unterminated label set");
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        fail("label without =");
      }
      String labelName = line.substring(i, eq);
      if (!labelName.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        fail("bad label name '" + labelName + "'");
      }
      i = eq + 1;
      if (i >= line.length() || line.charAt(i) != '"') {
        fail("label value not quoted");
      }
      i++;
      StringBuilder value = new StringBuilder();
      while (true) {
        if (i >= line.length()) {
          fail("unterminated label value");
        }
        char c = line.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (i >= line.length()) {
            fail("dangling escape");
          }
          char e = line.charAt(i++);
          switch (e) {
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case 'n' -> value.append('\n');
            default -> fail("bad escape \\" + e);
          }
        } else {
          value.append(c);
        }
      }
      if (out.put(labelName, value.toString()) != null) {
        fail("label " + labelName + " repeated");
      }
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
  }

  private String familyOf(String sampleName) {
    if (types.containsKey(sampleName)) {
      return sampleName;
    }
    for (String suffix : SUFFIXES) {
      if (sampleName.endsWith(suffix)) {
        String family = sampleName.substring(0, sampleName.length() - suffix.length());
        if (types.containsKey(family)) {
          return family;
        }
      }
    }
    return null;
  }

  private double number(String text) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          fail("not a number: '" + text + "'");
          return 0;
        }
    }
  }

  private void checkMetricName(String name) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      fail("bad metric name '" + name + "'");
    }
  }

  private void fail(String message) {
    throw new IllegalArgumentException("Malformed exposition at line " + lineNumber + ": " + message);
  }
}
