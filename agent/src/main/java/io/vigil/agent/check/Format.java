package io.vigil.agent.check;

import java.util.Locale;

/** How the report writes figures: durations in ms or s, ratios in percent; null is "n/a". */
final class Format {

  private Format() {}

  static String seconds(Double seconds) {
    if (seconds == null) {
      return "n/a";
    }
    if (seconds < 1) {
      double ms = seconds * 1000;
      return (ms < 10 && ms != Math.rint(ms) ? String.format(Locale.ROOT, "%.1f", ms) : String.valueOf(Math.round(ms))) + " ms";
    }
    return trim(String.format(Locale.ROOT, "%.2f", seconds)) + " s";
  }

  static String ratio(Double ratio) {
    if (ratio == null) {
      return "n/a";
    }
    double percent = ratio * 100;
    return trim(String.format(Locale.ROOT, percent > 0 && percent < 1 ? "%.2f" : "%.1f", percent)) + " %";
  }

  /** A number for perfdata: plain decimal, no exponent, no trailing zeros. */
  static String plain(double value) {
    return trim(String.format(Locale.ROOT, "%.6f", value));
  }

  private static String trim(String decimal) {
    if (decimal.indexOf('.') < 0) {
      return decimal;
    }
    String t = decimal.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }
}
