package io.vigil.benchmarks.overhead;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Median and range of a few repeats. With three to five runs a mean and standard deviation say
 * little and one disturbed run drags the mean; the median resists it and min–max shows it.
 */
record Spread(double median, double min, double max, int n) {

  static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
  }

  String format(int decimals) {
    String f = "%." + decimals + "f";
    if (n <= 1) {
      return String.format(Locale.ROOT, f, median);
    }
    return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median, min, max);
  }

  /** Signed, for differences: {@code +12 (+8–+15)}. */
  String formatSigned(int decimals) {
    String f = "%+." + decimals + "f";
    if (n <= 1) {
      return String.format(Locale.ROOT, f, median);
    }
    return String.format(Locale.ROOT, f + " (" + f + " – " + f + ")", median, min, max);
  }
}
