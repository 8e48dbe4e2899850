package io.vigil.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints JMH's JSON result ({@code -rf json}) as a Markdown table: benchmark, parameters, score ±
 * error in the score's unit, and bytes allocated per operation ({@code gc.alloc.rate.norm}, present
 * when run with {@code -prof gc}). Used by {@code benchmarks/run.sh}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.vigil.benchmarks.ResultTable result.json}
 */
public final class ResultTable {

  private static final String PREFIX = "io.vigil.benchmarks.";

  private ResultTable() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ResultTable <jmh-result.json>");
      System.exit(2);
    }
    String json = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8);
    System.out.print(table((List<?>) new Reader(json).document()));
  }

  static String table(List<?> results) {
    StringBuilder out = new StringBuilder();
    String unit = results.isEmpty() ? "ns/op" : string(map(map(results.get(0)).get("primaryMetric")).get("scoreUnit"));
    out.append("| benchmark | params | ").append(unit).append(" | B/op |\n");
    out.append("| --- | --- | ---: | ---: |\n");
    for (Object result : results) {
      Map<String, Object> r = map(result);
      String name = string(r.get("benchmark"));
      if (name.startsWith(PREFIX)) {
        name = name.substring(PREFIX.length());
      }
      StringBuilder params = new StringBuilder();
      Object p = r.get("params");
      if (p != null) {
        for (Map.Entry<String, Object> e : map(p).entrySet()) {
          params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
        }
      }
      Map<String, Object> primary = map(r.get("primaryMetric"));
      String score = format(primary.get("score"), 1) + " ± " + format(primary.get("scoreError"), 1);
      String bytes = "";
      Object secondary = r.get("secondaryMetrics");
      if (secondary != null && map(secondary).get("gc.alloc.rate.norm") != null) {
        bytes = format(map(map(secondary).get("gc.alloc.rate.norm")).get("score"), 0);
      }
      out.append("| ").append(name).append(" | ").append(params.toString().replace("|", "\\|"))
          .append(" | ").append(score).append(" | ").append(bytes).append(" |\n");
    }
    return out.toString();
  }

  /** A number with {@code decimals} places; JMH writes a missing error (one iteration) as "NaN". */
  private static String format(Object value, int decimals) {
    double d = value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "n/a";
    }
    // -0 from rounding a tiny negative allocation estimate reads as 0.
    return String.format(Locale.ROOT, "%." + decimals + "f", d == 0 ? 0 : d).replaceFirst("^-(0(\\.0*)?)$", "$1");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static String string(Object o) {
    return o == null ? "" : o.toString();
  }

  /**
   * Just enough JSON for JMH's result file: objects (insertion order kept), arrays, strings with
   * escapes, numbers, {@code true}/{@code false}/{@code null}, and bare {@code NaN}/{@code
   * Infinity} in case a JMH version writes them unquoted.
   */
  static final class Reader {
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    Object document() {
      Object value = value();
      skipSpace();
      if (i != s.length()) {
        throw error("trailing characters");
      }
      return value;
    }

    private Object value() {
      skipSpace();
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        case 'N':
          return literal("NaN", Double.NaN);
        case 'I':
          return literal("Infinity", Double.POSITIVE_INFINITY);
        default:
          return number();
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      i++; // {
      skipSpace();
      if (peek() == '}') {
        i++;
        return map;
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a key");
        }
        String key = string();
        skipSpace();
        expect(':');
        map.put(key, value());
        skipSpace();
        if (peek() == ',') {
          i++;
        } else {
          expect('}');
          return map;
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      i++; // [
      skipSpace();
      if (peek() == ']') {
        i++;
        return list;
      }
      while (true) {
        list.add(value());
        skipSpace();
        if (peek() == ',') {
          i++;
        } else {
          expect(']');
          return list;
        }
      }
    }

    private String string() {
      StringBuilder b = new StringBuilder();
      i++; // opening quote
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'b':
            b.append('\b');
            break;
          case 'f':
            b.append('\f');
            break;
          case 'n':
            b.append('\n');
            break;
          case 'r':
            b.append('\r');
            break;
          case 't':
            b.append('\t');
            break;
          case 'u':
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default:
            b.append(e); // \" \\ \/
        }
      }
    }

    private Object number() {
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      if (start == i) {
        throw error("unexpected character '" + s.charAt(i) + "'");
      }
      return Double.parseDouble(s.substring(start, i));
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, i)) {
        throw error("expected " + word);
      }
      i += word.length();
      return value;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JMH result JSON: " + what + " at offset " + i);
    }
  }
}
