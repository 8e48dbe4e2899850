package io.vigil.agent.trace;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.agent.config.SecretSettings;
import io.vigil.api.metrics.AgentMetrics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the OTLP exporter it wraps delivered and what it did not
 * ({@code vigil_agent_spans_exported_total}, {@code vigil_agent_export_failures_total},
 * {@code vigil_agent_spans_dropped_total}: one failure per batch given up, after the exporter's
 * own retries), and logs the first failure and then at most one line a minute, so a dead
 * collector does not flood the application's output.
 */
final class CountingSpanExporter implements SpanExporter {

  private static final Logger log = LoggerFactory.getLogger(CountingSpanExporter.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final SpanExporter delegate;
  private final AgentMetrics metrics;
  private final Supplier<String> lastFailure;
  private final String destination;
  private long lastFailureLogNanos;
  private boolean failing;
  private long failuresSinceLog;
  /** The last failure as the log line words it, with its time; read by the summary API. */
  private volatile String lastFailureLine;

  /**
   * @param lastFailure what the collector or the network answered to the last failed export
   * @param destination where spans go, for the recovery line
   */
  CountingSpanExporter(SpanExporter delegate, AgentMetrics metrics, Supplier<String> lastFailure, String destination) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.lastFailure = lastFailure;
    // The endpoint may carry user information (user:password@host): it is never logged.
    this.destination = SecretSettings.withoutUserInfo(destination);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    int count = spans.size();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException e) {
      result = CompletableResultCode.ofExceptionalFailure(e);
    }
    CompletableResultCode exported = result;
    exported.whenComplete(() -> account(count, exported));
    return exported;
  }

  private synchronized void account(int count, CompletableResultCode result) {
    if (result.isSuccess()) {
      metrics.spansExported(count);
      if (failing) {
        log.info("Span export to {} works again", destination);
        failing = false;
        failuresSinceLog = 0;
      }
      return;
    }
    metrics.exportFailed();
    metrics.spansDropped(count);
    failuresSinceLog++;
    String reason = SecretSettings.withoutUserInfo(describe(result.getFailureThrowable()));
    lastFailureLine = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " Span export failing: " + reason
        + "; dropped " + count + " spans";
    long now = System.nanoTime();
    if (!failing || now - lastFailureLogNanos >= LOG_INTERVAL_NANOS) {
      log.warn(
          "Span export failing: {}; dropped {} spans ({} failed exports since the last message)."
              + " The application is not affected; vigil_agent_export_failures_total counts them.",
          reason, count, failuresSinceLog);
      failing = true;
      lastFailureLogNanos = now;
      failuresSinceLog = 0;
    }
  }

  /**
   * The exporter fails a batch with an exception that wraps the sender's I/O error, or with one
   * that carries only the collector's answer (its type is SDK-internal), in which case the sender
   * says what it was.
   */
  private String describe(Throwable error) {
    if (error == null) {
      return "the exporter is shut down";
    }
    if (error.getCause() != null) {
      return error.getCause() + " (" + destination + ")";
    }
    return error instanceof RuntimeException ? error.toString() : lastFailure.get();
  }

  /** The last failed export, when and why, credentials masked; null when none failed. */
  String lastFailureLine() {
    return lastFailureLine;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
