package io.vigil.servlet.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RouteLimiterTest {

  private final AtomicInteger overflows = new AtomicInteger();

  @Test
  void answersWithTheInstanceFirstAdmitted() {
    RouteLimiter limiter = new RouteLimiter(2, overflows::incrementAndGet);
    String first = new String("/owners/{id}");
    String later = new String("/owners/{id}");

    assertSame(first, limiter.limit(first));
    assertSame(first, limiter.limit(later));
    limiter.limit("/b");
    assertSame(first, limiter.limit(new String("/owners/{id}")), "still the admitted instance once full");
    assertEquals(0, overflows.get());
  }

  @Test
  void admitsUpToTheCapThenOverflows() {
    RouteLimiter limiter = new RouteLimiter(2, overflows::incrementAndGet);

    assertEquals("/a", limiter.limit("/a"));
    assertEquals("/b", limiter.limit("/b"));
    assertSame(RouteLimiter.OVERFLOW, limiter.limit("/c"));
    assertSame(RouteLimiter.OVERFLOW, limiter.limit("/d"));
    assertSame(RouteLimiter.OVERFLOW, limiter.limit("/c"));

    assertEquals(2, limiter.size());
    assertEquals(3, overflows.get());
  }

  @Test
  void admittedRoutesStayAdmittedAfterTheCapIsReached() {
    RouteLimiter limiter = new RouteLimiter(2, overflows::incrementAndGet);
    limiter.limit("/a");
    limiter.limit("/b");
    limiter.limit("/c");

    for (int i = 0; i < 100; i++) {
      assertEquals("/a", limiter.limit("/a"));
      assertEquals("/b", limiter.limit("/b"));
    }
    assertEquals(1, overflows.get());
  }

  @Test
  void repeatedRoutesTakeOneSlot() {
    RouteLimiter limiter = new RouteLimiter(3, overflows::incrementAndGet);
    for (int i = 0; i < 1000; i++) {
      limiter.limit("/a");
      limiter.limit(new String("/b".toCharArray())); // equal, not identical
    }
    assertEquals(2, limiter.size());
    assertEquals("/c", limiter.limit("/c"));
    assertEquals(0, overflows.get());
  }

  @Test
  void overflowValueIsTheSemanticConventionsOther() {
    assertEquals("_OTHER", RouteLimiter.OVERFLOW);
  }

  @Test
  void zeroCapacitySendsEverythingToOverflow() {
    RouteLimiter limiter = new RouteLimiter(0, overflows::incrementAndGet);
    assertSame(RouteLimiter.OVERFLOW, limiter.limit("/"));
    assertSame(RouteLimiter.OVERFLOW, limiter.limit("/"));
    assertEquals(0, limiter.size());
    assertEquals(2, overflows.get());
  }

  @Test
  void negativeCapacityIsRejected() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> new RouteLimiter(-1, null));
    assertEquals("maxCardinality must be 0 or more, was -1", error.getMessage());
  }

  @Test
  void nullRoutePassesThroughAndAdmitsNothing() {
    RouteLimiter limiter = new RouteLimiter(1, overflows::incrementAndGet);
    assertNull(limiter.limit(null));
    assertEquals(0, limiter.size());
    assertEquals(0, overflows.get());
  }

  @Test
  void nullCallbackIsANoOp() {
    RouteLimiter limiter = new RouteLimiter(1, null);
    limiter.limit("/a");
    assertSame(RouteLimiter.OVERFLOW, limiter.limit("/b"));
    assertEquals(1, limiter.maxCardinality());
  }

  @Test
  void hundredThousandDistinctRoutesKeepOnlyTheFirstThousand() {
    RouteLimiter limiter = new RouteLimiter(1000, overflows::incrementAndGet);
    for (int i = 0; i < 100_000; i++) {
      String route = "/r/" + i;
      String limited = limiter.limit(route);
      assertEquals(i < 1000 ? route : RouteLimiter.OVERFLOW, limited);
    }
    assertEquals(1000, limiter.size());
    assertEquals(99_000, overflows.get());
    assertEquals("/r/999", limiter.limit("/r/999"));
  }

  @Test
  void knownRouteAllocatesNothing() {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs per-thread allocation counters");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    RouteLimiter limiter = new RouteLimiter(10, overflows::incrementAndGet);
    String route = "/owners/{id}";
    limiter.limit(route);
    long threadId = Thread.currentThread().getId();
    int admitted = 0;

    long before = threads.getThreadAllocatedBytes(threadId);
    for (int i = 0; i < 1_000_000; i++) {
      if (limiter.limit(route) == route) {
        admitted++;
      }
    }
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;

    assertEquals(1_000_000, admitted);
    assertTrue(allocated < 4096, () -> allocated + " bytes allocated");
  }

  @RepeatedTest(20)
  void racingThreadsNeverAdmitMoreThanTheCap() throws Exception {
    int threads = 16;
    int cap = 1000;
    List<String> offered = new ArrayList<>();
    for (int i = 0; i < 5 * cap; i++) {
      offered.add("/r/" + i);
    }
    RouteLimiter limiter = new RouteLimiter(cap, overflows::incrementAndGet);
    Set<String> returnedAsThemselves = ConcurrentHashMap.newKeySet();
    AtomicInteger overflowAnswers = new AtomicInteger();

    runConcurrently(
        threads,
        worker -> {
          // Every thread offers every route, each in its own order, so slots are contended.
          List<String> mine = new ArrayList<>(offered);
          Collections.shuffle(mine, new Random(worker));
          for (String route : mine) {
            String limited = limiter.limit(route);
            if (limited == RouteLimiter.OVERFLOW) {
              overflowAnswers.incrementAndGet();
            } else {
              assertSame(route, limited);
              returnedAsThemselves.add(limited);
            }
          }
        });

    assertEquals(cap, limiter.size());
    assertTrue(returnedAsThemselves.size() <= cap, () -> returnedAsThemselves.size() + " routes");
    assertEquals(overflowAnswers.get(), overflows.get());
    // Every route that was ever answered as itself is admitted, and so stays itself.
    for (String route : returnedAsThemselves) {
      assertEquals(route, limiter.limit(route));
    }
    assertEquals(overflowAnswers.get(), overflows.get());
  }

  @RepeatedTest(20)
  void racingForTheLastSlotAdmitsExactlyOne() throws Exception {
    int threads = 32;
    RouteLimiter limiter = new RouteLimiter(1, overflows::incrementAndGet);
    Set<String> admitted = ConcurrentHashMap.newKeySet();

    runConcurrently(
        threads,
        worker -> {
          String route = "/t/" + worker;
          if (limiter.limit(route).equals(route)) {
            admitted.add(route);
          }
        });

    assertEquals(1, admitted.size());
    assertEquals(1, limiter.size());
    assertEquals(threads - 1, overflows.get());
  }

  @RepeatedTest(20)
  void racingOnOneRouteAdmitsItOnce() throws Exception {
    RouteLimiter limiter = new RouteLimiter(1, overflows::incrementAndGet);
    Set<String> answers = ConcurrentHashMap.newKeySet();

    runConcurrently(
        32,
        worker -> {
          for (int i = 0; i < 100; i++) {
            answers.add(limiter.limit("/same"));
          }
        });

    assertEquals(1, limiter.size());
    // While the slot is being taken a concurrent call may briefly see it as overflow.
    assertTrue(Set.of("/same", RouteLimiter.OVERFLOW).containsAll(answers), answers::toString);
    assertEquals("/same", limiter.limit("/same"));
  }

  @Test
  void distinctRoutesOfferedFromManyThreadsStayBounded() throws Exception {
    RouteLimiter limiter = new RouteLimiter(1000, overflows::incrementAndGet);
    runConcurrently(
        8,
        worker -> {
          for (int i = 0; i < 12_500; i++) {
            limiter.limit("/w/" + worker + "/" + i);
          }
        });
    assertEquals(1000, limiter.size());
    assertEquals(100_000 - 1000, overflows.get());
  }

  private interface Worker {
    void run(int worker) throws Exception;
  }

  /** Starts all workers at once and rethrows the first failure. */
  private static void runConcurrently(int threads, Worker body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int worker = t;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  body.run(worker);
                  return null;
                }));
      }
      ready.await();
      go.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
