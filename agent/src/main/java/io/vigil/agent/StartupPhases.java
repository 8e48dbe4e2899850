package io.vigil.agent;

import java.util.concurrent.TimeUnit;

/** Milliseconds per start-up phase, for the debug log: where the agent's start-up time goes. */
final class StartupPhases {

  private final StringBuilder phases = new StringBuilder();
  private long last;

  StartupPhases(long startNanos) {
    this.last = startNanos;
  }

  /** A phase that began where the previous one ended. */
  synchronized void mark(String phase) {
    long now = System.nanoTime();
    append(phase, now - last);
    last = now;
  }

  /** A phase that ran beside others, from {@code sinceNanos} to now. */
  synchronized void took(String phase, long sinceNanos) {
    long now = System.nanoTime();
    append(phase, now - sinceNanos);
    last = Math.max(last, now);
  }

  private void append(String phase, long nanos) {
    if (phases.length() > 0) {
      phases.append(", ");
    }
    phases.append(phase).append(' ').append(TimeUnit.NANOSECONDS.toMillis(nanos)).append(" ms");
  }

  @Override
  public synchronized String toString() {
    return phases.toString();
  }
}
