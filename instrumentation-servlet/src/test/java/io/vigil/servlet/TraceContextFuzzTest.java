package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.metrics.LabelCap;
import io.vigil.servlet.route.RouteBudgets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The incoming {@code traceparent} and {@code tracestate} headers as the request tracker reads them,
 * over generated input from a fixed seed: whatever a client sends, starting the request never
 * throws and leaves no context behind; a well-formed version-00 {@code traceparent} is continued
 * with exactly its trace and parent ids, whatever the {@code tracestate}; anything that is not a
 * well-formed {@code traceparent} starts a new trace. (The tracer is a no-op one, whose spans carry
 * their parent's context, so the extracted parent is what the span shows.)
 */
class TraceContextFuzzTest {

  private static final long SEED = Long.getLong("vigil.fuzz.seed", 0x7ace_13L);
  private static final int CASES = Integer.getInteger("vigil.fuzz.cases", 3000);
  private static final Pattern VERSION_00 =
      Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String HEX = "0123456789abcdef";

  private final ServletRequestTracker tracker =
      new ServletRequestTracker(
          new HttpServerMetrics(new CollectorRegistry(), 16),
          new RouteBudgets(10, null, null),
          TracerProvider.noop().get("test"),
          W3CTraceContextPropagator.getInstance(),
          type -> {},
          new LabelCap("error_type", 10, 128, () -> {}),
          ErrorTracker.NOOP);

  @Test
  void wellFormedParentsAreContinuedWhateverTheTraceState() {
    Random random = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      String traceId = hex(random, 32);
      String spanId = hex(random, 16);
      String traceparent = "00-" + traceId + "-" + spanId + "-0" + (random.nextBoolean() ? "1" : "0");
      if (!VERSION_00.matcher(traceparent).matches()) {
        continue; // all-zero ids, one in 2^64
      }
      SpanContext parent = start(traceparent, traceState(random));
      assertEquals(traceId, parent.getTraceId(), traceparent);
      assertEquals(spanId, parent.getSpanId(), traceparent);
    }
  }

  @Test
  void editedParentsNeverThrowAndAreContinuedOnlyWhenWellFormed() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      StringBuilder header = new StringBuilder("00-" + hex(random, 32) + "-" + hex(random, 16) + "-01");
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(header.length() + 1);
        switch (random.nextInt(5)) {
          case 0 -> header.insert(at, "-0Fxg ,\t\u00e9".charAt(random.nextInt(9)));
          case 1 -> { if (at < header.length()) header.deleteCharAt(at); }
          case 2 -> { if (at < header.length()) header.setCharAt(at, Character.toUpperCase(header.charAt(at))); }
          case 3 -> header.replace(0, 2, random.nextBoolean() ? "ff" : "01");
          default -> header.append(random.nextBoolean() ? "-extra" : "x".repeat(random.nextInt(9000)));
        }
      }
      String traceparent = header.toString();
      SpanContext parent = start(traceparent, traceState(random));
      if (VERSION_00.matcher(traceparent).matches()) {
        assertEquals(traceparent.substring(3, 35), parent.getTraceId(), traceparent);
      } else if (parent.isValid() && !traceparent.startsWith("00-") && !traceparent.startsWith("ff")) {
        // A future version may carry more fields; its first three must still be well formed.
        assertEquals(traceparent.substring(3, 35), parent.getTraceId(), traceparent);
      } else if (parent.isValid()) {
        fail("continued a malformed traceparent: " + traceparent);
      }
    }
  }

  @Test
  void randomHeadersNeverThrow() {
    Random random = new Random(SEED + 2);
    for (int i = 0; i < CASES; i++) {
      String traceparent = random.nextInt(10) == 0 ? null : junk(random);
      SpanContext parent = start(traceparent, junk(random));
      if (traceparent != null && parent.isValid()) {
        assertEquals(traceparent.substring(3, 35), parent.getTraceId(), traceparent);
      }
    }
  }

  /** Starts and ends one request with these headers; returns the context its span continued. */
  private SpanContext start(String traceparent, String tracestate) {
    Object state;
    try {
      state = tracker.start("GET", "http", "localhost", 8080, "127.0.0.1", "/x", "", "HTTP/1.1", null,
          traceparent, tracestate, "/x");
    } catch (Throwable t) {
      throw new AssertionError("threw on traceparent " + traceparent + ", tracestate " + tracestate, t);
    }
    SpanContext context = ((RequestState) state).span.getSpanContext();
    tracker.serviceExit(state, 200, true, null, null);
    assertFalse(io.opentelemetry.api.trace.Span.fromContext(Context.current()).getSpanContext().isValid(),
        "the request's context is gone after it");
    return context;
  }

  private static String traceState(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return null;
      case 1:
        return "vendor=" + hex(random, 8) + ",other@tenant=v" + random.nextInt(100);
      case 2:
        return ("k" + random.nextInt(1000) + "=v,").repeat(random.nextInt(100)); // past 32 members
      default:
        return junk(random);
    }
  }

  private static String junk(Random random) {
    String alphabet = "0123456789abcdefABCDEFxyz-=,@ \t;\"\u00e9\u0000";
    int length = random.nextInt(random.nextInt(20) == 0 ? 10_000 : 80);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String hex(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(HEX.charAt(random.nextInt(16)));
    }
    return s.toString();
  }
}
