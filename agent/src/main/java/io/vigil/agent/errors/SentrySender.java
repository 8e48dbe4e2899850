package io.vigil.agent.errors;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.vigil.api.errors.ErrorEvent;
import io.vigil.api.errors.ErrorSink;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards error events to Sentry from a daemon thread of its own. The thread that saw the error
 * only offers the event to a bounded queue and never waits: a full queue drops it.
 *
 * <p>Sent: the first event of each group, and beyond those at most {@code ratePerMinute} events a
 * minute. Not sent while Sentry's rate limits ({@code 429}, {@code Retry-After}, {@code
 * X-Sentry-Rate-Limits}) are in force. Every event not sent is counted in {@code
 * vigil_error_events_dropped_total} by reason: {@code rate} (over {@code errors.sentry.rate}),
 * {@code queue_full}, {@code rate_limited} (by Sentry) or {@code send_failed}.
 */
public final class SentrySender implements ErrorSink {

  /** Wall-clock milliseconds; a parameter so that tests control time. */
  interface Clock {
    long millis();
  }

  static final int QUEUE_CAPACITY = 100;
  private static final long MINUTE_MILLIS = 60_000L;
  private static final Logger log = LoggerFactory.getLogger(SentrySender.class);

  private final SentryTransport transport;
  private final SentryEnvelope envelope;
  private final int ratePerMinute;
  private final Clock clock;
  private final BlockingQueue<ErrorEvent> queue = new ArrayBlockingQueue<ErrorEvent>(QUEUE_CAPACITY);
  private final SentryRateLimits limits = new SentryRateLimits();
  private final AtomicLong windowStart = new AtomicLong();
  private final AtomicInteger sentInWindow = new AtomicInteger();
  private final Counter.Child droppedRate;
  private final Counter.Child droppedQueueFull;
  private final Counter.Child droppedRateLimited;
  private final Counter.Child droppedSendFailed;
  private final Counter.Child sent;
  private volatile boolean loggedFailure;

  SentrySender(
      SentryTransport transport, SentryEnvelope envelope, int ratePerMinute, Clock clock, CollectorRegistry registry) {
    this.transport = transport;
    this.envelope = envelope;
    this.ratePerMinute = ratePerMinute;
    this.clock = clock;
    Counter dropped =
        Counter.build(
                "vigil_error_events_dropped",
                "Error events not forwarded to Sentry, by reason: rate (over errors.sentry.rate), queue_full,"
                    + " rate_limited (Sentry asked to wait) or send_failed.")
            .labelNames("reason")
            .register(registry);
    droppedRate = dropped.labels("rate");
    droppedQueueFull = dropped.labels("queue_full");
    droppedRateLimited = dropped.labels("rate_limited");
    droppedSendFailed = dropped.labels("send_failed");
    sent =
        Counter.build("vigil_error_events_sent", "Error events Sentry accepted.").register(registry).labels();
  }

  /** Starts the sending thread; null (after one log line) when the DSN's URL is unusable. */
  static SentrySender start(
      SentryDsn dsn, SentryEnvelope envelope, int ratePerMinute, String client, CollectorRegistry registry) {
    SentryTransport transport;
    try {
      transport = new SentryTransport.OverHttp(dsn, client);
    } catch (IOException e) {
      log.error("Sentry forwarding is off: the DSN's endpoint {} is not usable ({})", dsn.envelopeUrl(), e.toString());
      return null;
    }
    final SentrySender sender =
        new SentrySender(
            transport,
            envelope,
            ratePerMinute,
            new Clock() {
              @Override
              public long millis() {
                return System.currentTimeMillis();
              }
            },
            registry);
    Thread thread = new Thread(sender::run, "vigil-sentry-sender");
    thread.setDaemon(true);
    thread.start();
    return sender;
  }

  @Override
  public void accept(ErrorEvent event, boolean newGroup) {
    if (!newGroup && !withinRate()) {
      droppedRate.inc();
      return;
    }
    if (!queue.offer(event)) {
      droppedQueueFull.inc();
    }
  }

  /** A fixed one-minute window; lock-free, so the reporting thread never waits here. */
  private boolean withinRate() {
    long now = clock.millis();
    long start = windowStart.get();
    if (now - start >= MINUTE_MILLIS && windowStart.compareAndSet(start, now)) {
      sentInWindow.set(0);
    }
    return sentInWindow.incrementAndGet() <= ratePerMinute;
  }

  private void run() {
    while (true) {
      try {
        sendNext(queue.take());
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        // Never let one bad event end forwarding for the life of the process.
        droppedSendFailed.inc();
      }
    }
  }

  /** Sends one event unless Sentry asked to wait; on the sender's thread (tests call it directly). */
  void sendNext(ErrorEvent event) {
    long now = clock.millis();
    if (limits.limited(now)) {
      droppedRateLimited.inc();
      return;
    }
    SentryTransport.Response response;
    try {
      response = transport.post(envelope.write(event, now));
    } catch (IOException e) {
      droppedSendFailed.inc();
      logFailureOnce("cannot reach Sentry (" + e + ")");
      return;
    }
    limits.update(response.status, response.rateLimits, response.retryAfter, clock.millis());
    if (response.status >= 200 && response.status < 300) {
      sent.inc();
    } else if (response.status == 429) {
      droppedRateLimited.inc();
    } else {
      droppedSendFailed.inc();
      logFailureOnce("Sentry answered " + response.status);
    }
  }

  private void logFailureOnce(String what) {
    if (!loggedFailure) {
      loggedFailure = true;
      log.warn("Error events are not reaching Sentry: {}; vigil_error_events_dropped_total counts them", what);
    }
  }

  /** For tests: events waiting to be sent. */
  ErrorEvent poll() {
    return queue.poll();
  }
}
