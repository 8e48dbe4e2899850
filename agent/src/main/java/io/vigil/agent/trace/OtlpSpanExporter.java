package io.vigil.agent.trace;

import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.agent.config.SecretSettings;
import io.vigil.agent.trace.otlp.OtlpExportException;
import io.vigil.agent.trace.otlp.OtlpTransport;
import io.vigil.api.metrics.AgentMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serializes a batch with the SDK's low-allocation OTLP marshaler (one, reused: this runs on one
 * thread) straight into a request of its exact size, and hands it to a transport, retrying
 * retryable failures a bounded number of times. Counts what the receiver accepted and what it
 * did not; logs the first failure and then at most one line a minute, so a dead collector does
 * not flood the application's output.
 *
 * <p>Synchronous: called only from the export thread of {@link BoundedSpanProcessor}.
 */
public final class OtlpSpanExporter implements SpanExporter {

  private static final Logger log = LoggerFactory.getLogger(OtlpSpanExporter.class);
  private static final long[] BACKOFF_MILLIS = {100, 400};
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final OtlpTransport transport;
  private final AgentMetrics metrics;
  private final LowAllocationTraceRequestMarshaler marshaler = new LowAllocationTraceRequestMarshaler();
  private volatile boolean shutdown;
  private long lastFailureLogNanos;
  private boolean failing;
  private long failuresSinceLog;

  public OtlpSpanExporter(OtlpTransport transport, AgentMetrics metrics) {
    this.transport = transport;
    this.metrics = metrics;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    byte[] request;
    try {
      request = serialize(spans);
    } catch (IOException | RuntimeException e) {
      metrics.exportFailed();
      metrics.spansDropped(spans.size());
      log.warn("Could not serialize {} spans; they are dropped", spans.size(), e);
      return CompletableResultCode.ofFailure();
    }
    OtlpExportException last = null;
    for (int attempt = 0; attempt <= BACKOFF_MILLIS.length; attempt++) {
      try {
        transport.send(request);
        metrics.spansExported(spans.size());
        recovered();
        return CompletableResultCode.ofSuccess();
      } catch (OtlpExportException e) {
        last = e;
        if (!e.retryable() || shutdown || attempt == BACKOFF_MILLIS.length || !sleep(BACKOFF_MILLIS[attempt])) {
          break;
        }
      }
    }
    metrics.exportFailed();
    metrics.spansDropped(spans.size());
    failed(spans.size(), last);
    return CompletableResultCode.ofFailure();
  }

  private byte[] serialize(Collection<SpanData> spans) throws IOException {
    marshaler.initialize(spans);
    try {
      byte[] request = new byte[marshaler.getBinarySerializedSize()];
      marshaler.writeBinaryTo(new FixedArrayOutput(request));
      return request;
    } finally {
      marshaler.reset();
    }
  }

  /** Writes into an array sized in advance: no growing, no copy at the end. */
  private static final class FixedArrayOutput extends OutputStream {
    private final byte[] target;
    private int count;

    FixedArrayOutput(byte[] target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      ensure(1);
      target[count++] = (byte) b;
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
      ensure(length);
      System.arraycopy(src, offset, target, count, length);
      count += length;
    }

    private void ensure(int more) throws IOException {
      if (count + more > target.length) {
        throw new IOException("the request is larger than the marshaler's size of " + target.length + " bytes");
      }
    }
  }

  private void failed(int spanCount, OtlpExportException error) {
    failuresSinceLog++;
    long now = System.nanoTime();
    if (!failing || now - lastFailureLogNanos >= LOG_INTERVAL_NANOS) {
      log.warn(
          "Span export failing: {}; dropped {} spans ({} failed exports since the last message)."
              + " The application is not affected; vigil_agent_export_failures_total counts them.",
          // Transports name the endpoint in their messages: never with the user information.
          error == null ? "unknown error" : SecretSettings.withoutUserInfo(String.valueOf(error.getMessage())),
          spanCount,
          failuresSinceLog);
      failing = true;
      lastFailureLogNanos = now;
      failuresSinceLog = 0;
    }
  }

  private void recovered() {
    if (failing) {
      log.info("Span export to {} works again", SecretSettings.withoutUserInfo(transport.describe()));
      failing = false;
      failuresSinceLog = 0;
    }
  }

  private static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    transport.shutdown();
    return CompletableResultCode.ofSuccess();
  }
}
