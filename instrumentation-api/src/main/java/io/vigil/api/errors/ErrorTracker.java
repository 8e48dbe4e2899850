package io.vigil.api.errors;

/**
 * Where the instrumentations report errors. Called only when something failed; implementations
 * never throw and never block the calling (request) thread.
 */
public interface ErrorTracker {

  /** An exception that escaped a request, or that a framework turned into a 5xx. */
  void servletError(Throwable error, String route, String traceId, String spanId);

  /**
   * An exception out of a JDBC call. Its route is not known at the statement: it is added when the
   * request with the same trace id ends ({@link #requestEnded}).
   */
  void jdbcError(Throwable error, String traceId, String spanId);

  /** Cheap check for the servlet path: whether any JDBC error waits for its request's route. */
  boolean awaitingRoutes();

  void requestEnded(String traceId, String route);

  /** Tracks nothing: when the agent core is not there (tests, benchmarks). */
  ErrorTracker NOOP =
      new ErrorTracker() {
        @Override
        public void servletError(Throwable error, String route, String traceId, String spanId) {}

        @Override
        public void jdbcError(Throwable error, String traceId, String spanId) {}

        @Override
        public boolean awaitingRoutes() {
          return false;
        }

        @Override
        public void requestEnded(String traceId, String route) {}
      };
}
