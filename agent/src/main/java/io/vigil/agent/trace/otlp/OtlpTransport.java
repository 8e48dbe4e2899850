package io.vigil.agent.trace.otlp;

/**
 * Carries one serialized {@code ExportTraceServiceRequest} to the OTLP receiver. Implementations
 * are called from the single export thread only, block for at most their configured timeout, and
 * must work on every JVM the agent attaches to (Java 8 and later): plain sockets or {@code
 * HttpURLConnection}, no OkHttp, no {@code java.net.http}.
 */
public interface OtlpTransport {

  /**
   * Returns normally when the receiver accepted the request.
   *
   * @throws OtlpExportException when it did not; {@link OtlpExportException#retryable()} says
   *     whether sending the same request again may succeed
   */
  void send(byte[] exportTraceServiceRequest) throws OtlpExportException;

  /** Where requests go, for the start-up line and messages. */
  String describe();

  /** Releases connections. */
  void shutdown();
}
