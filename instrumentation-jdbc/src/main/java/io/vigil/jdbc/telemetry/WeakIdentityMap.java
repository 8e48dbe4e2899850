package io.vigil.jdbc.telemetry;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A concurrent map from application objects (connections, statements) to agent state, keyed by
 * identity and holding its keys weakly, so that the agent never keeps a closed statement, a
 * connection or (through them) a webapp's class loader alive.
 *
 * <p>Most keys live briefly and few at a time (a statement is prepared, executed and closed within
 * one request; a pool hands out a new proxy connection per borrow), so in front of the {@link
 * ConcurrentHashMap} is a small table indexed by the key's identity hash, one weak entry per slot:
 * a key whose slot is free or holds a collected key goes there, with one compare-and-set and no
 * write to the map; only a key whose slot holds another live key goes to the map.
 *
 * <ul>
 *   <li>{@link #get} reads the key's slot, then, only when the map holds anything, does one {@link
 *       ConcurrentHashMap#get}: no lock, no write.
 *   <li>{@link #put} into the map first drops the entries whose keys were collected, then refuses to
 *       grow past {@code maxSize}: a caller that cannot cache still works, only slower. Entries of
 *       collected keys are dropped on the next {@code put} or {@code remove}, so the map never
 *       holds more than {@code maxSize} entries, stale or not; the table holds at most its size.
 *   <li>Values must not refer to their keys strongly, or the key can never be collected.
 * </ul>
 */
final class WeakIdentityMap<K, V> {

  private final ConcurrentHashMap<Object, V> entries = new ConcurrentHashMap<Object, V>();
  private final ReferenceQueue<K> collected = new ReferenceQueue<K>();
  private final int maxSize;
  private final AtomicReferenceArray<Slot<V>> slots;
  private final int slotMask;

  /** Without a table in front: every entry in the map. */
  WeakIdentityMap(int maxSize) {
    this(maxSize, 0);
  }

  /** @param tableSize slots in front of the map, rounded up to a power of two; 0 for none */
  WeakIdentityMap(int maxSize, int tableSize) {
    this.maxSize = maxSize;
    int size = tableSize <= 0 ? 0 : Integer.highestOneBit(tableSize - 1 | 1) << 1;
    this.slots = size == 0 ? null : new AtomicReferenceArray<Slot<V>>(size);
    this.slotMask = size - 1;
  }

  V get(K key) {
    if (key == null) {
      return null;
    }
    if (slots != null) {
      Slot<V> slot = slots.get(System.identityHashCode(key) & slotMask);
      if (slot != null && slot.get() == key) {
        return slot.value;
      }
      if (entries.isEmpty()) {
        return null;
      }
    }
    return entries.get(new LookupKey(key));
  }

  /** Maps {@code key} to {@code value}; false when the map is full and nothing was stored. */
  boolean put(K key, V value) {
    if (key == null || value == null) {
      return false;
    }
    if (slots != null) {
      int index = System.identityHashCode(key) & slotMask;
      Slot<V> current;
      Object occupant;
      do {
        current = slots.get(index);
        occupant = current == null ? null : current.get();
      } while ((occupant == null || occupant == key)
          && !slots.compareAndSet(index, current, new Slot<V>(key, value)));
      if (occupant == null || occupant == key) {
        if (!entries.isEmpty()) {
          // Put in the map while the slot was taken, and now in the slot: one place only.
          entries.remove(new LookupKey(key));
        }
        return true;
      }
    }
    expunge();
    WeakKey<K> weakKey = new WeakKey<K>(key, collected);
    if (entries.size() >= maxSize && !entries.containsKey(weakKey)) {
      return false;
    }
    entries.put(weakKey, value);
    return true;
  }

  V remove(K key) {
    if (key == null) {
      return null;
    }
    if (slots != null) {
      int index = System.identityHashCode(key) & slotMask;
      Slot<V> slot = slots.get(index);
      if (slot != null && slot.get() == key && slots.compareAndSet(index, slot, null)) {
        return slot.value;
      }
      if (entries.isEmpty()) {
        return null;
      }
    }
    expunge();
    return entries.remove(new LookupKey(key));
  }

  /** Entries, including those of the map whose keys were collected but not yet dropped. */
  int size() {
    int size = entries.size();
    if (slots != null) {
      for (int i = 0; i < slots.length(); i++) {
        Slot<V> slot = slots.get(i);
        if (slot != null && slot.get() != null) {
          size++;
        }
      }
    }
    return size;
  }

  /** Drops the entries whose keys were collected. */
  void expunge() {
    Reference<? extends K> reference;
    while ((reference = collected.poll()) != null) {
      entries.remove(reference);
    }
  }

  /**
   * A table entry. Not registered with the reference queue: a slot whose key was collected is simply
   * free for the next key with its hash.
   */
  private static final class Slot<V> extends WeakReference<Object> {
    final V value;

    Slot(Object key, V value) {
      super(key);
      this.value = value;
    }
  }

  /** The stored key: equal to a {@link LookupKey} or {@link WeakKey} of the same live object. */
  private static final class WeakKey<K> extends WeakReference<K> {
    private final int hash;

    WeakKey(K referent, ReferenceQueue<K> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      Object referent = get();
      if (referent == null) {
        // Collected: only equal to itself, which is how expunge() finds it.
        return false;
      }
      if (other instanceof WeakKey) {
        return ((WeakKey<?>) other).get() == referent;
      }
      return other instanceof LookupKey && ((LookupKey) other).key == referent;
    }
  }

  /** A strong, short-lived key for lookups, so that a get allocates no {@link WeakReference}. */
  private static final class LookupKey {
    final Object key;
    private final int hash;

    LookupKey(Object key) {
      this.key = key;
      this.hash = System.identityHashCode(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WeakKey && ((WeakKey<?>) other).get() == key;
    }
  }
}
