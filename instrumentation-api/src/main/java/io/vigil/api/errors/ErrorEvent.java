package io.vigil.api.errors;

import java.sql.SQLException;
import java.util.List;

/** One occurrence of an error, as captured where it happened; immutable. */
public final class ErrorEvent {

  private final Fingerprint fingerprint;
  private final List<CapturedException> chain;
  private final String source;
  private final String route;
  private final String traceId;
  private final String spanId;
  private final String serviceVersion;
  private final Integer vendorCode;
  private final long timestampMillis;

  ErrorEvent(
      Fingerprint fingerprint,
      List<CapturedException> chain,
      String source,
      String route,
      String traceId,
      String spanId,
      String serviceVersion,
      Integer vendorCode,
      long timestampMillis) {
    this.fingerprint = fingerprint;
    this.chain = chain;
    this.source = source;
    this.route = route;
    this.traceId = traceId;
    this.spanId = spanId;
    this.serviceVersion = serviceVersion;
    this.vendorCode = vendorCode;
    this.timestampMillis = timestampMillis;
  }

  /** Fingerprints and captures {@code error}; the work of an error path, never of a request's. */
  static ErrorEvent capture(
      Throwable error, String source, String route, String traceId, String spanId, String serviceVersion, long now) {
    List<Throwable> throwables = ExceptionChain.of(error);
    SQLException sql = ExceptionChain.firstSql(throwables);
    return new ErrorEvent(
        Fingerprint.of(throwables),
        CapturedException.of(throwables),
        source,
        route,
        traceId,
        spanId,
        serviceVersion,
        sql == null ? null : sql.getErrorCode(),
        now);
  }

  public Fingerprint fingerprint() {
    return fingerprint;
  }

  /** Outermost exception first. */
  public List<CapturedException> chain() {
    return chain;
  }

  /** {@code servlet} or {@code jdbc}. */
  public String source() {
    return source;
  }

  /** Null when not known (yet): a JDBC error learns its request's route when the request ends. */
  public String route() {
    return route;
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  public String serviceVersion() {
    return serviceVersion;
  }

  /** The driver's vendor code for SQL errors, else null. */
  public Integer vendorCode() {
    return vendorCode;
  }

  public long timestampMillis() {
    return timestampMillis;
  }
}
