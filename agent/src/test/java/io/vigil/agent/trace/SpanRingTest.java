package io.vigil.agent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpanRingTest {

  @Test
  void holdsAtMostItsCapacityEvenWithMoreSlots() {
    SpanRing<Integer> ring = new SpanRing<>(5); // eight slots
    for (int i = 1; i <= 5; i++) {
      assertEquals(i, ring.offer(i));
    }
    assertEquals(0, ring.offer(6), "full: refused");
    assertEquals(5, ring.size());

    List<Integer> out = new ArrayList<>();
    assertEquals(3, ring.drainTo(out, 3));
    assertEquals(List.of(1, 2, 3), out);
    assertEquals(3, ring.offer(7));
    assertEquals(4, ring.offer(8));
    assertEquals(5, ring.offer(9));
    assertEquals(0, ring.offer(10));
    out.clear();
    assertEquals(5, ring.drainTo(out, 100));
    assertEquals(List.of(4, 5, 7, 8, 9), out);
    assertEquals(0, ring.drainTo(out, 100));
    assertEquals(0, ring.size());
  }

  @Test
  void keepsOrderAcrossManyWrapArounds() {
    SpanRing<Integer> ring = new SpanRing<>(3);
    List<Integer> out = new ArrayList<>();
    int next = 0;
    for (int round = 0; round < 10_000; round++) {
      int offered = round % 4; // 0..3, the last one refused when 3 wait
      for (int i = 0; i < offered; i++) {
        if (ring.offer(next) > 0) {
          next++;
        }
      }
      ring.drainTo(out, 2);
    }
    ring.drainTo(out, Integer.MAX_VALUE);
    assertEquals(next, out.size());
    for (int i = 0; i < out.size(); i++) {
      assertEquals(i, out.get(i));
    }
  }

  @Test
  void manyProducersOneConsumerLoseAndDuplicateNothing() throws Exception {
    int producers = 4;
    int perProducer = 200_000;
    SpanRing<long[]> ring = new SpanRing<>(1000);
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(producers);
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perProducer; i++) {
            if (ring.offer(new long[] {producer, i}) == 0) {
              refused.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
      thread.setDaemon(true);
      thread.start();
    }
    start.countDown();
    long[] lastSeen = {-1, -1, -1, -1};
    long received = 0;
    List<long[]> batch = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((done.getCount() > 0 || ring.size() > 0) && System.nanoTime() < deadline) {
      batch.clear();
      ring.drainTo(batch, 512);
      for (long[] element : batch) {
        int producer = (int) element[0];
        assertTrue(element[1] > lastSeen[producer], "each producer's elements arrive once and in order");
        lastSeen[producer] = element[1];
        received++;
      }
    }
    assertTrue(done.await(1, TimeUnit.SECONDS), "producers finished");
    assertEquals((long) producers * perProducer, received + refused.get(), "every offer either arrived or was refused");
    assertEquals(0, ring.size());
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SpanRing<>(0));
  }
}
