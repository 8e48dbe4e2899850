package io.vigil.agent;

import java.util.concurrent.TimeUnit;

/** Milliseconds per start-up phase, for the debug log: where the agent's start-up time goes. */
final class StartupPhases {

  private final StringBuilder phases = new StringBuilder();
  private long last;

  StartupPhases(long startNanos) {
    this.last = startNanos;
  }

  void mark(String phase) {
    long now = System.nanoTime();
    if (phases.length() > 0) {
      phases.append(", ");
    }
    phases.append(phase).append(' ').append(TimeUnit.NANOSECONDS.toMillis(now - last)).append(" ms");
    last = now;
  }

  @Override
  public String toString() {
    return phases.toString();
  }
}
