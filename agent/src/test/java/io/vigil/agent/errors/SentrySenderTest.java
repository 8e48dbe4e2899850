package io.vigil.agent.errors;

import static io.vigil.agent.errors.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.prometheus.client.CollectorRegistry;
import io.vigil.api.errors.ErrorEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sender without its thread: the test plays the thread, a fake transport plays Sentry. */
class SentrySenderTest {

  private long now = Events.NOW;
  private final List<byte[]> posted = new ArrayList<>();
  private SentryTransport.Response answer = new SentryTransport.Response(200, null, null);
  private boolean unreachable;
  private final CollectorRegistry registry = new CollectorRegistry();
  private final Events events = new Events();

  private SentrySender sender(int ratePerMinute) {
    SentryTransport transport = envelope -> {
      if (unreachable) {
        throw new IOException("connection refused");
      }
      posted.add(envelope);
      return answer;
    };
    return new SentrySender(transport, new SentryEnvelope("shop", null, "1"), ratePerMinute, () -> now, registry);
  }

  private ErrorEvent event() {
    return events.servlet(at(new IllegalStateException("x"), "com.example.A.a:1"), "/a", null, null);
  }

  private double dropped(String reason) {
    Double value = registry.getSampleValue("vigil_error_events_dropped_total", new String[] {"reason"},
        new String[] {reason});
    return value == null ? 0 : value;
  }

  /** Plays the sender's thread: sends whatever is queued. */
  private void drain(SentrySender sender) {
    for (ErrorEvent event = sender.poll(); event != null; event = sender.poll()) {
      sender.sendNext(event);
    }
  }

  @Test
  void aGroupsFirstEventAlwaysGoesAndTheRestAtMostTheRatePerMinute() {
    SentrySender sender = sender(2);
    for (int i = 0; i < 5; i++) {
      sender.accept(event(), i == 0);
    }
    drain(sender);
    assertEquals(3, posted.size(), "the first, then two a minute");
    assertEquals(2, dropped("rate"));
    now += 60_000;
    sender.accept(event(), false);
    drain(sender);
    assertEquals(4, posted.size(), "a new minute, a new allowance");
    assertEquals(4.0, registry.getSampleValue("vigil_error_events_sent_total"));
  }

  @Test
  void aRateOfZeroSendsOnlyFirsts() {
    SentrySender sender = sender(0);
    sender.accept(event(), true);
    sender.accept(event(), false);
    drain(sender);
    assertEquals(1, posted.size());
  }

  @Test
  void a429StopsSendingForItsRetryAfter() {
    SentrySender sender = sender(100);
    answer = new SentryTransport.Response(429, null, "30");
    sender.accept(event(), true);
    drain(sender);
    answer = new SentryTransport.Response(200, null, null);
    sender.accept(event(), true);
    sender.accept(event(), false);
    drain(sender);
    assertEquals(1, posted.size(), "nothing is sent while Sentry's limit is in force");
    assertEquals(3, dropped("rate_limited"));
    now += 30_000;
    sender.accept(event(), false);
    drain(sender);
    assertEquals(2, posted.size());
  }

  @Test
  void aRateLimitHeaderOnASuccessIsHonouredToo() {
    SentrySender sender = sender(100);
    answer = new SentryTransport.Response(200, "60:error:key", null);
    sender.accept(event(), true);
    sender.accept(event(), true);
    drain(sender);
    assertEquals(1, posted.size());
    assertEquals(1, dropped("rate_limited"));
  }

  @Test
  void theQueueIsBoundedAndTheReportingThreadNeverWaits() {
    SentrySender sender = sender(1000);
    for (int i = 0; i < SentrySender.QUEUE_CAPACITY + 7; i++) {
      sender.accept(event(), true);
    }
    assertEquals(7, dropped("queue_full"));
    drain(sender);
    assertEquals(SentrySender.QUEUE_CAPACITY, posted.size());
    assertNull(sender.poll());
  }

  @Test
  void failuresAreCountedNotThrown() {
    SentrySender sender = sender(10);
    unreachable = true;
    sender.accept(event(), true);
    drain(sender);
    unreachable = false;
    answer = new SentryTransport.Response(500, null, null);
    sender.accept(event(), true);
    drain(sender);
    assertEquals(2, dropped("send_failed"));
  }
}
