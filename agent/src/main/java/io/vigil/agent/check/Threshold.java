package io.vigil.agent.check;

/**
 * A WARNING and a CRITICAL limit; a value strictly over a limit reaches it. {@code W,C} gives both;
 * a single value is the CRITICAL limit alone (no WARNING level), so that {@code --max-p95 2s} means
 * what a deploy gate wants: fail over 2 s.
 */
final class Threshold {

  static final Threshold NONE = new Threshold(null, null);

  final Double warning;
  final Double critical;

  Threshold(Double warning, Double critical) {
    this.warning = warning;
    this.critical = critical;
  }

  boolean judges() {
    return warning != null || critical != null;
  }

  Severity of(double value) {
    if (critical != null && value > critical) {
      return Severity.CRITICAL;
    }
    if (warning != null && value > warning) {
      return Severity.WARNING;
    }
    return Severity.OK;
  }

  /** The limit {@code severity} crossed, for the message. */
  double limit(Severity severity) {
    return severity == Severity.CRITICAL ? critical : warning;
  }

  /** {@code W[,C]}, each parsed by {@code unit}; throws with a message naming {@code option}. */
  static Threshold parse(String option, String text, Unit unit) {
    String[] parts = text.split(",", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException(option + " takes WARNING,CRITICAL or a single CRITICAL value, not '" + text + "'");
    }
    double first = unit.parse(option, parts[0].trim());
    if (parts.length == 1) {
      return new Threshold(null, first);
    }
    double second = unit.parse(option, parts[1].trim());
    if (second < first) {
      throw new IllegalArgumentException(option + ": the CRITICAL limit " + parts[1].trim()
          + " is below the WARNING limit " + parts[0].trim());
    }
    return new Threshold(first, second);
  }

  /** How one limit is written. */
  interface Unit {
    double parse(String option, String text);
  }
}
