package io.vigil.agent.trace.otlp;

/** An export the receiver did not accept, and whether sending it again may help. */
public final class OtlpExportException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public OtlpExportException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public OtlpExportException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  /** Unavailable, throttled, timed out, connection refused: a later attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
