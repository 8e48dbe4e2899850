package io.vigil.agent.summary;

import io.prometheus.client.CollectorRegistry;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.metrics.StatementTotals;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link SummaryRing} filled and answers window queries. One daemon thread, {@code
 * vigil-summary}, wakes at the start of every minute, reads the cumulative values the metrics
 * keep and stores the change since the minute before; request threads do nothing for it. A query
 * reads the live values too, so the current minute is included without waiting for it to end.
 * The thread and the queries take one lock, which no application thread ever takes. A failing
 * snapshot is counted and logged once; the thread goes on.
 */
public final class SummaryService {

  private static final Logger log = LoggerFactory.getLogger(SummaryService.class);
  private static final long MINUTE_MILLIS = TimeUnit.MINUTES.toMillis(1);

  private final MetricsReader reader;
  private final LongSupplier clock;
  private final long startMillis;
  private final SummaryRing ring = new SummaryRing();
  private final Baseline baseline = new Baseline();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running;

  /**
   * @param clock epoch milliseconds
   * @param startMillis when the agent started: the window before it is not covered
   */
  public SummaryService(CollectorRegistry registry, StatementTotals statements, ErrorGroups errorGroups,
      LongSupplier clock, long startMillis) {
    this.reader = new MetricsReader(registry, statements, errorGroups);
    this.clock = clock;
    this.startMillis = startMillis;
  }

  /** Starts the minute thread. */
  public void start() {
    running = true;
    Thread thread = new Thread(this::run, "vigil-summary");
    thread.setDaemon(true);
    thread.start();
  }

  public void stop() {
    running = false;
  }

  private void run() {
    while (running) {
      try {
        long now = clock.getAsLong();
        // A few milliseconds past the boundary, so a clock read at the boundary is in the new minute.
        Thread.sleep(MINUTE_MILLIS - Math.floorMod(now, MINUTE_MILLIS) + 5);
        snapshot();
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        if (failures.getAndIncrement() == 0) {
          log.warn("The summary could not record a minute ({}); /api/summary may miss it, the agent runs on",
              t.toString());
        }
      }
    }
  }

  /** Stores the change since the last snapshot as the minute that just ended. */
  synchronized void snapshot() {
    long minute = Math.floorDiv(clock.getAsLong(), MINUTE_MILLIS) - 1;
    ring.record(minute, baseline.delta(reader.read(), true));
  }

  /** The window ending now, live minute included. */
  public synchronized Summary query(SummaryWindow window) {
    long now = clock.getAsLong();
    long nowMinute = Math.floorDiv(now, MINUTE_MILLIS);
    long firstMinute = window.firstMinute(nowMinute);
    Readings readings = reader.read();
    WindowSums sums = ring.sum(firstMinute, nowMinute, baseline.delta(readings, false), window.timelineMinutes());
    long from = Math.max(firstMinute * MINUTE_MILLIS, startMillis);
    return new Summary(window, now, firstMinute * MINUTE_MILLIS, Math.max(0, now - from), sums, readings.poolGauges);
  }

  /** Snapshots that failed since the start. */
  public long failures() {
    return failures.get();
  }

  /** A window's figures, as {@link SummaryJson} writes them. */
  public static final class Summary {
    final SummaryWindow window;
    final long nowMillis;
    final long windowStartMillis;
    final long coveredMillis;
    final WindowSums sums;
    final Map<String, long[]> poolGauges;

    Summary(SummaryWindow window, long nowMillis, long windowStartMillis, long coveredMillis, WindowSums sums,
        Map<String, long[]> poolGauges) {
      this.window = window;
      this.nowMillis = nowMillis;
      this.windowStartMillis = windowStartMillis;
      this.coveredMillis = coveredMillis;
      this.sums = sums;
      this.poolGauges = poolGauges;
    }

    public long windowStartMillis() {
      return windowStartMillis;
    }
  }
}
