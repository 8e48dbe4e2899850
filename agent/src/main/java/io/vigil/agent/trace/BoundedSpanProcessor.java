package io.vigil.agent.trace;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.api.metrics.AgentMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Batches ended, sampled spans and exports them from one daemon thread.
 *
 * <p>The request thread only does a lock-free bounded enqueue in {@link #ended}: two atomic
 * increments and a store into a {@link SpanRing} slot, nothing allocated. When the queue is full the
 * span is dropped and counted ({@code vigil_agent_spans_dropped_total}); nothing ever blocks or
 * grows without bound because the collector is slow or gone.
 *
 * <p>The spans are exported as they ended ({@link RecordedSpan} is the exported data), without a
 * copy. The export thread waits for each batch's result before it takes the next: one export in flight,
 * the exporter's own timeout (retries included) as the bound, and the batch list free to reuse.
 */
public final class BoundedSpanProcessor implements SpanSink {

  private final SpanExporter exporter;
  private final AgentMetrics metrics;
  private final int maxBatchSize;
  private final long scheduleDelayNanos;
  /** Longer than any export timeout a user would set; only a broken exporter would reach it. */
  private static final long RESULT_WAIT_SECONDS = 120;
  private static final long STALL_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final SpanRing<SpanData> queue;
  private final AtomicReference<CompletableResultCode> pendingFlush = new AtomicReference<>();
  private final CompletableResultCode shutdownResult = new CompletableResultCode();
  private final Thread worker;
  private volatile boolean running = true;

  public BoundedSpanProcessor(
      SpanExporter exporter, AgentMetrics metrics, int maxQueueSize, int maxBatchSize, long scheduleDelayMillis) {
    this.exporter = exporter;
    this.metrics = metrics;
    this.maxBatchSize = maxBatchSize;
    this.scheduleDelayNanos = TimeUnit.MILLISECONDS.toNanos(scheduleDelayMillis);
    this.queue = new SpanRing<>(maxQueueSize);
    this.worker = new Thread(this::work, "vigil-span-export");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  @Override
  public void ended(SpanData span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    int size = running ? queue.offer(span) : 0;
    if (size == 0) {
      metrics.spansDropped(1);
      return;
    }
    if (size == maxBatchSize) {
      LockSupport.unpark(worker);
    }
  }

  /** Spans waiting for export. */
  public int queueSize() {
    return queue.size();
  }

  public boolean isWorkerAlive() {
    return worker.isAlive();
  }

  /** Exports what is queued now; completes when it has been handed to the exporter. */
  public CompletableResultCode forceFlush() {
    CompletableResultCode flush = new CompletableResultCode();
    CompletableResultCode existing = pendingFlush.getAndSet(flush);
    if (existing != null) {
      flush.whenComplete(existing::succeed);
    }
    LockSupport.unpark(worker);
    return flush;
  }

  /** Exports what is queued, then shuts the exporter down; completes when that is done. */
  public CompletableResultCode shutdown() {
    running = false;
    LockSupport.unpark(worker);
    return shutdownResult;
  }

  private void work() {
    List<SpanData> batch = new ArrayList<>(maxBatchSize);
    try {
      boolean stalled = false;
      while (running) {
        if (stalled) {
          // A producer claimed the next slot and was descheduled before filling it: give it the
          // core instead of spinning on a full queue that nothing drains meanwhile.
          LockSupport.parkNanos(this, STALL_PARK_NANOS);
        } else if (queue.size() < maxBatchSize && pendingFlush.get() == null) {
          LockSupport.parkNanos(this, scheduleDelayNanos);
        }
        stalled = exportQueued(batch) == 0 && queue.size() > 0;
        CompletableResultCode flush = pendingFlush.getAndSet(null);
        if (flush != null) {
          flush.succeed();
        }
      }
      exportQueued(batch);
    } catch (Throwable t) {
      // An export thread that dies silently would look like a healthy idle one: say so.
      org.slf4j.LoggerFactory.getLogger(BoundedSpanProcessor.class).error("Span export thread stopped", t);
    } finally {
      exporter.shutdown();
      shutdownResult.succeed();
    }
  }

  /** Returns the number of spans exported. */
  private int exportQueued(List<SpanData> batch) {
    int available = queue.size();
    int exported = 0;
    while (available > 0) {
      batch.clear();
      if (queue.drainTo(batch, maxBatchSize) == 0) {
        return exported;
      }
      available -= batch.size();
      exported += batch.size();
      exporter.export(batch).join(RESULT_WAIT_SECONDS, TimeUnit.SECONDS);
    }
    batch.clear(); // hold no span past its export
    return exported;
  }
}
