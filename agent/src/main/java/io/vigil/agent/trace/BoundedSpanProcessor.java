package io.vigil.agent.trace;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.api.metrics.AgentMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Batches ended, sampled spans and exports them from one daemon thread.
 *
 * <p>The request thread only does a lock-free bounded enqueue in {@link #onEnd}: an increment of
 * an atomic counter and an offer to a {@link ConcurrentLinkedQueue}. When the queue is full the
 * span is dropped and counted ({@code vigil_agent_spans_dropped_total}); nothing ever blocks or
 * grows without bound because the collector is slow or gone.
 *
 * <p>The export thread waits for each batch's result before it takes the next: one export in flight,
 * the exporter's own timeout (retries included) as the bound, and the batch list free to reuse.
 */
public final class BoundedSpanProcessor implements SpanProcessor {

  private final SpanExporter exporter;
  private final AgentMetrics metrics;
  private final int maxQueueSize;
  private final int maxBatchSize;
  private final long scheduleDelayNanos;
  /** Longer than any export timeout a user would set; only a broken exporter would reach it. */
  private static final long RESULT_WAIT_SECONDS = 120;

  private final Queue<ReadableSpan> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicReference<CompletableResultCode> pendingFlush = new AtomicReference<>();
  private final CompletableResultCode shutdownResult = new CompletableResultCode();
  private final Thread worker;
  private volatile boolean running = true;

  public BoundedSpanProcessor(
      SpanExporter exporter, AgentMetrics metrics, int maxQueueSize, int maxBatchSize, long scheduleDelayMillis) {
    this.exporter = exporter;
    this.metrics = metrics;
    this.maxQueueSize = maxQueueSize;
    this.maxBatchSize = maxBatchSize;
    this.scheduleDelayNanos = TimeUnit.MILLISECONDS.toNanos(scheduleDelayMillis);
    this.worker = new Thread(this::work, "vigil-span-export");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    int size = queued.incrementAndGet();
    if (size > maxQueueSize || !running) {
      queued.decrementAndGet();
      metrics.spansDropped(1);
      return;
    }
    queue.offer(span);
    if (size == maxBatchSize) {
      LockSupport.unpark(worker);
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** Spans waiting for export. */
  public int queueSize() {
    return queued.get();
  }

  public boolean isWorkerAlive() {
    return worker.isAlive();
  }

  @Override
  public CompletableResultCode forceFlush() {
    CompletableResultCode flush = new CompletableResultCode();
    CompletableResultCode existing = pendingFlush.getAndSet(flush);
    if (existing != null) {
      flush.whenComplete(existing::succeed);
    }
    LockSupport.unpark(worker);
    return flush;
  }

  @Override
  public CompletableResultCode shutdown() {
    running = false;
    LockSupport.unpark(worker);
    return shutdownResult;
  }

  private void work() {
    List<SpanData> batch = new ArrayList<>(maxBatchSize);
    try {
      while (running) {
        if (queued.get() < maxBatchSize && pendingFlush.get() == null) {
          LockSupport.parkNanos(this, scheduleDelayNanos);
        }
        exportQueued(batch);
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

  private void exportQueued(List<SpanData> batch) {
    int available = queued.get();
    while (available > 0) {
      batch.clear();
      ReadableSpan span;
      while (batch.size() < maxBatchSize && (span = queue.poll()) != null) {
        batch.add(span.toSpanData());
      }
      if (batch.isEmpty()) {
        return;
      }
      queued.addAndGet(-batch.size());
      available -= batch.size();
      exporter.export(batch).join(RESULT_WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
