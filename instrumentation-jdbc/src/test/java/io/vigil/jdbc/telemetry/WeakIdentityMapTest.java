package io.vigil.jdbc.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  @Test
  void keysAreComparedByIdentityNotEquality() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(10);
    String a = new String("same");
    String b = new String("same");
    map.put(a, "A");
    assertEquals("A", map.get(a));
    assertNull(map.get(b));
    map.put(b, "B");
    assertEquals("A", map.get(a));
    assertEquals("B", map.get(b));
    assertEquals("A", map.remove(a));
    assertNull(map.get(a));
    assertEquals(1, map.size());
  }

  @Test
  void neverGrowsPastItsBoundButStillReplaces() {
    WeakIdentityMap<Object, Integer> map = new WeakIdentityMap<>(3);
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Object key = new Object();
      keys.add(key);
      assertEquals(i < 3, map.put(key, i), "put " + i);
    }
    assertEquals(3, map.size());
    assertTrue(map.put(keys.get(0), 42), "an existing key is replaced even when full");
    assertEquals(42, map.get(keys.get(0)));
    assertNull(map.get(keys.get(4)));
    assertFalse(map.put(null, 1));
  }

  @Test
  void entriesOfCollectedKeysAreDropped() throws InterruptedException {
    onlyTheStronglyHeldKeyIsLeft(new WeakIdentityMap<>(100_000));
  }

  @Test
  void theTableDoesNotPinItsKeys() throws InterruptedException {
    onlyTheStronglyHeldKeyIsLeft(new WeakIdentityMap<>(100_000, 1024));
  }

  private static void onlyTheStronglyHeldKeyIsLeft(WeakIdentityMap<Object, int[]> map) throws InterruptedException {
    Object kept = new Object();
    map.put(kept, new int[1]);
    for (int i = 0; i < 10_000; i++) {
      map.put(new Object(), new int[16]);
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (map.size() > 1 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
      map.expunge();
    }
    assertEquals(1, map.size(), "only the strongly held key is left");
    assertTrue(map.get(kept) != null);
  }

  @Test
  void withATableInFrontEveryKeyIsFoundOnceWhetherInItsSlotOrInTheMap() {
    WeakIdentityMap<Object, Integer> map = new WeakIdentityMap<>(1000, 4);
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Object key = new Object();
      keys.add(key);
      assertTrue(map.put(key, i));
    }
    assertEquals(50, map.size(), "four in the table at most, the others in the map");
    for (int i = 0; i < 50; i++) {
      assertEquals(i, map.get(keys.get(i)));
    }
    for (int i = 0; i < 50; i += 2) {
      assertEquals(i, map.remove(keys.get(i)));
      assertNull(map.remove(keys.get(i)));
      assertNull(map.get(keys.get(i)));
    }
    assertEquals(25, map.size());
    // Re-put after removals: a key may move from the map to a freed slot, never live in both.
    for (int i = 1; i < 50; i += 2) {
      assertTrue(map.put(keys.get(i), -i));
    }
    assertEquals(25, map.size());
    for (int i = 1; i < 50; i += 2) {
      assertEquals(-i, map.get(keys.get(i)));
      assertEquals(-i, map.remove(keys.get(i)));
    }
    assertEquals(0, map.size());
    assertNull(map.get(new Object()));
    assertFalse(map.put(null, 1));
  }
}
