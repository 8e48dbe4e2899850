package io.vigil.it.apps;

import io.sentry.Sentry;

/**
 * An application that reports its own errors with the official Sentry SDK: initialises it with the
 * DSN in {@code args[0]}, captures one exception, flushes and exits 0. Run with the agent attached
 * and forwarding to another Sentry project, it proves the two do not get in each other's way.
 */
public final class SentryApp {

  private SentryApp() {}

  public static void main(String[] args) {
    Sentry.init(options -> {
      options.setDsn(args[0]);
      options.setRelease("sentry-app@1.0");
    });
    Sentry.captureException(new IllegalStateException("reported by the application's own Sentry SDK"));
    Sentry.flush(10_000);
    Sentry.close();
    System.out.println("sentry app done");
  }
}
