package io.vigil.agent.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses setting text; each method returns null when the text is not acceptable. */
final class ValueParsers {

  private ValueParsers() {}

  static Boolean parseBoolean(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return Boolean.TRUE;
    }
    if (t.equals("false")) {
      return Boolean.FALSE;
    }
    return null;
  }

  static Integer parseInt(String text, int min, int max) {
    try {
      int value = Integer.parseInt(text.trim());
      return value >= min && value <= max ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Double parseRatio(String text) {
    try {
      double value = Double.parseDouble(text.trim());
      return value >= 0.0 && value <= 1.0 ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or a plain number of
   * milliseconds. Returns nanoseconds.
   */
  static Long parseDurationNanos(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unitNanos;
    String number;
    if (t.endsWith("ms")) {
      unitNanos = 1_000_000L;
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      unitNanos = 1_000_000_000L;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unitNanos = 60_000_000_000L;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      unitNanos = 3_600_000_000_000L;
      number = t.substring(0, t.length() - 1);
    } else {
      unitNanos = 1_000_000L;
      number = t;
    }
    number = number.trim();
    if (number.isEmpty() || number.startsWith("-") || number.startsWith("+")) {
      return null;
    }
    try {
      double value = Double.parseDouble(number);
      double nanos = value * unitNanos;
      if (Double.isNaN(nanos) || Double.isInfinite(nanos) || nanos > Long.MAX_VALUE) {
        return null;
      }
      return (long) nanos;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The W3C-baggage-like list the OTEL_* variables use: {@code k1=v1,k2=v2}, values
   * percent-decoded. Returns null if an entry has no {@code =} or an empty key, or if a key or
   * value holds a control character: such a value would be refused later, as an HTTP header, by a
   * library that quotes it in its error message.
   */
  static Map<String, String> parseKeyValueList(String text) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (entry.trim().isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        return null;
      }
      String key = entry.substring(0, eq).trim();
      if (key.isEmpty()) {
        return null;
      }
      String value = percentDecode(entry.substring(eq + 1).trim());
      if (value == null || hasControlCharacter(key) || hasControlCharacter(value)) {
        return null;
      }
      result.put(key, value);
    }
    return result;
  }

  private static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    try {
      return java.net.URLDecoder.decode(text.replace("+", "%2B"), "UTF-8");
    } catch (IllegalArgumentException | java.io.UnsupportedEncodingException e) {
      return null;
    }
  }

  /** An http or https URL with a host. */
  static String parseHttpUrl(String text) {
    String t = text.trim();
    try {
      java.net.URI uri = new java.net.URI(t);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        return null;
      }
      return t;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
