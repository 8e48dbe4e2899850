package io.vigil.agent.check;

/** Nagios plugin states; the ordinal order is also the order of gravity, and the exit code. */
enum Severity {
  OK,
  WARNING,
  CRITICAL,
  UNKNOWN;

  int exitCode() {
    return ordinal();
  }

  Severity worst(Severity other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
