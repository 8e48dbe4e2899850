package io.vigil.api.errors;

import java.util.List;

/**
 * The {@link ErrorTracker} of a running agent: captures and fingerprints each error, adds it to the
 * {@link ErrorGroups} and hands it to the sink. Work happens on the thread that saw the error, and
 * only when there is one; the store's lock is held for a map update, and the sink only queues.
 */
public final class ErrorTracking implements ErrorTracker {

  /** Wall-clock milliseconds; a parameter so that tests control time. */
  public interface Clock {
    long millis();

    Clock SYSTEM =
        new Clock() {
          @Override
          public long millis() {
            return System.currentTimeMillis();
          }
        };
  }

  public static final String SERVLET = "servlet";
  public static final String JDBC = "jdbc";

  private final ErrorGroups groups;
  private final ErrorSink sink;
  private final String serviceVersion;
  private final Clock clock;
  private final PendingRoutes pending = new PendingRoutes();

  public ErrorTracking(ErrorGroups groups, ErrorSink sink, String serviceVersion, Clock clock) {
    this.groups = groups;
    this.sink = sink;
    this.serviceVersion = serviceVersion;
    this.clock = clock;
  }

  @Override
  public void servletError(Throwable error, String route, String traceId, String spanId) {
    record(error, SERVLET, route, traceId, spanId);
  }

  @Override
  public void jdbcError(Throwable error, String traceId, String spanId) {
    ErrorEvent event = record(error, JDBC, null, traceId, spanId);
    if (event != null && traceId != null) {
      pending.await(traceId, event.fingerprint().id());
    }
  }

  @Override
  public boolean awaitingRoutes() {
    return !pending.isEmpty();
  }

  @Override
  public void requestEnded(String traceId, String route) {
    if (traceId == null || route == null) {
      return;
    }
    List<String> fingerprints = pending.take(traceId);
    if (fingerprints != null) {
      for (String fingerprint : fingerprints) {
        groups.addRoute(fingerprint, route);
      }
    }
  }

  private ErrorEvent record(Throwable error, String source, String route, String traceId, String spanId) {
    if (error == null) {
      return null;
    }
    ErrorEvent event = ErrorEvent.capture(error, source, route, traceId, spanId, serviceVersion, clock.millis());
    boolean newGroup = groups.add(event);
    sink.accept(event, newGroup);
    return event;
  }

  public ErrorGroups groups() {
    return groups;
  }
}
