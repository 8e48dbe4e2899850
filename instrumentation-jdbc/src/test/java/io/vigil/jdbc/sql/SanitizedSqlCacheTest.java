package io.vigil.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SanitizedSqlCacheTest {

  @Test
  void aHitReturnsTheCachedInstance() {
    SanitizedSqlCache cache = new SanitizedSqlCache(10);

    SanitizedSql first = cache.sanitize("SELECT * FROM t WHERE id = 1");
    SanitizedSql second = cache.sanitize("SELECT * FROM t WHERE id = 1");

    assertSame(first, second);
    assertEquals("SELECT * FROM t WHERE id = ?", first.text());
    assertEquals(1, cache.size());
  }

  @Test
  void rawStatementsAreTheKeys() {
    SanitizedSqlCache cache = new SanitizedSqlCache(10);

    SanitizedSql one = cache.sanitize("SELECT * FROM t WHERE id = 1");
    SanitizedSql two = cache.sanitize("SELECT * FROM t WHERE id = 2");

    assertNotSame(one, two);
    assertEquals(one, two);
    assertEquals(2, cache.size());
  }

  @Test
  void statementsLongerThanTheBoundAreSanitizedButNotCached() {
    SanitizedSqlCache cache = new SanitizedSqlCache(10, 20, SqlDialect.STANDARD);
    String atBound = "SELECT 1 FROM abcdef";
    String overBound = "SELECT 1 FROM abcdefg";

    assertEquals("SELECT ? FROM abcdefg", cache.sanitize(overBound).text());
    assertEquals(0, cache.size());
    assertEquals("SELECT ? FROM abcdef", cache.sanitize(atBound).text());
    assertEquals(1, cache.size());
  }

  @Test
  void theDefaultLengthBoundIsSixteenKibibytes() {
    SanitizedSqlCache cache = new SanitizedSqlCache(10);
    String atBound = "SELECT " + "a".repeat(16 * 1024 - 7);

    cache.sanitize(atBound);
    cache.sanitize(atBound + "b");

    assertEquals(1, cache.size());
  }

  @Test
  void whenFullTheCacheEmptiesAndRefills() {
    SanitizedSqlCache cache = new SanitizedSqlCache(3);
    cache.sanitize("SELECT 1");
    cache.sanitize("SELECT 2");
    cache.sanitize("SELECT 3");
    assertEquals(3, cache.size());

    SanitizedSql fourth = cache.sanitize("SELECT 4");

    assertEquals(1, cache.size());
    assertSame(fourth, cache.sanitize("SELECT 4"));
  }

  @Test
  void neverHoldsMoreThanTheBound() {
    SanitizedSqlCache cache = new SanitizedSqlCache(50);
    for (int i = 0; i < 10_000; i++) {
      cache.sanitize("SELECT * FROM t WHERE id = " + i);
      assertTrue(cache.size() <= 50, () -> "size " + cache.size());
    }
  }

  @Test
  void aZeroBoundCachesNothing() {
    SanitizedSqlCache cache = new SanitizedSqlCache(0);

    assertEquals("SELECT ?", cache.sanitize("SELECT 1").text());
    assertEquals(0, cache.size());
  }

  @Test
  void nullIsEmptyAndNotCached() {
    SanitizedSqlCache cache = new SanitizedSqlCache(10);

    assertEquals("", cache.sanitize(null).text());
    assertEquals(0, cache.size());
  }

  @Test
  void theDialectIsApplied() {
    SanitizedSqlCache cache =
        new SanitizedSqlCache(
            10, SanitizedSqlCache.DEFAULT_MAX_CACHED_SQL_LENGTH, SqlDialect.MYSQL);

    assertEquals(
        "SELECT * FROM t WHERE a = ?", cache.sanitize("SELECT * FROM t WHERE a = \"x\"").text());
  }

  @Test
  void invalidBoundsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SanitizedSqlCache(-1));
    assertThrows(
        IllegalArgumentException.class, () -> new SanitizedSqlCache(1, -1, SqlDialect.STANDARD));
    assertThrows(IllegalArgumentException.class, () -> new SanitizedSqlCache(1, 1, null));
  }

  @Test
  void hitsAllocateNothing() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(
        threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    SanitizedSqlCache cache = new SanitizedSqlCache(10);
    String sql = "SELECT * FROM orders WHERE id = ?";
    cache.sanitize(sql);
    long threadId = Thread.currentThread().getId();

    long before = threads.getThreadAllocatedBytes(threadId);
    int found = 0;
    for (int i = 0; i < 100_000; i++) {
      found += cache.sanitize(sql) != null ? 1 : 0;
    }
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;

    assertEquals(100_000, found);
    // One object per hit would be 1.6 MB at least; what remains is the measurement's own noise.
    assertTrue(allocated < 64 * 1024, () -> allocated + " bytes allocated by 100000 hits");
  }

  @Test
  void concurrentUseStaysBoundedAndCorrect() throws Exception {
    int bound = 100;
    int threads = 8;
    List<String> statements = new ArrayList<>();
    Map<String, SanitizedSql> expected = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      String sql =
          "SELECT c"
              + (i % 7)
              + " FROM t"
              + (i % 13)
              + " WHERE id = "
              + i
              + " AND name = 'n"
              + i
              + "'";
      statements.add(sql);
      expected.put(sql, SqlSanitizer.sanitize(sql));
    }
    SanitizedSqlCache cache = new SanitizedSqlCache(bound);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger largestSizeSeen = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    try {
      Future<?> monitor =
          pool.submit(
              () -> {
                while (running.get()) {
                  largestSizeSeen.accumulateAndGet(cache.size(), Math::max);
                }
              });
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int i = 0; i < 100_000; i++) {
                    String sql = statements.get(random.nextInt(statements.size()));
                    SanitizedSql result = cache.sanitize(sql);
                    if (!expected.get(sql).equals(result)) {
                      failures.add(sql + " -> " + result);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
      running.set(false);
      monitor.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertEquals(List.of(), List.copyOf(failures));
    assertTrue(largestSizeSeen.get() <= bound, () -> "size reached " + largestSizeSeen.get());
    assertTrue(cache.size() <= bound);
    assertEquals(cache.entryCount(), cache.size());
  }

  @Test
  void concurrentUseBelowTheBoundCachesEveryStatementOnce() throws Exception {
    SanitizedSqlCache cache = new SanitizedSqlCache(1_000);
    List<String> statements = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      statements.add("UPDATE t" + i + " SET a = " + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int round = 0; round < 50; round++) {
                    for (String sql : statements) {
                      cache.sanitize(sql);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(200, cache.size());
    assertEquals(200, cache.entryCount());
    for (String sql : statements) {
      assertSame(cache.sanitize(sql), cache.sanitize(sql));
    }
  }
}
