package io.vigil.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelCapTest {

  private final AtomicInteger overflows = new AtomicInteger();
  private final LabelCap cap = new LabelCap("exception_type", 2, 8, overflows::incrementAndGet);

  @Test
  void admitsUpToTheCapThenReportsOverflowOncePerValue() {
    assertEquals("a", cap.limit("a"));
    assertEquals("b", cap.limit("b"));
    assertSame(LabelCap.OVERFLOW, cap.limit("c"));
    assertEquals("a", cap.limit("a"));
    assertSame(LabelCap.OVERFLOW, cap.limit("c"));
    assertEquals(2, overflows.get());
    assertEquals(2, cap.size());
  }

  @Test
  void longValuesAreCutAndTheCutValueIsWhatIsAdmitted() {
    assertEquals("abcdefgh", cap.limit("abcdefghij"));
    assertEquals("abcdefgh", cap.limit("abcdefghXYZ"));
    assertEquals(1, cap.size());
  }

  @Test
  void emptyAndNullMeanNoValueAndTakeNoSlot() {
    assertNull(cap.limit(null));
    assertEquals("", cap.limit(""));
    assertEquals(0, cap.size());
  }

  @Test
  void racingThreadsNeverAdmitMoreThanTheCap() throws Exception {
    LabelCap shared = new LabelCap("error_type", 50, 128, () -> {});
    Set<String> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            seen.add(shared.limit("v" + (i % 500)));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(50, shared.size());
    assertEquals(51, seen.size()); // the 50 admitted values and _OTHER
  }
}
