package io.vigil.jdbc.telemetry;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map from application objects (connections, statements) to agent state, keyed by
 * identity and holding its keys weakly, so that the agent never keeps a closed statement, a
 * connection or (through them) a webapp's class loader alive.
 *
 * <ul>
 *   <li>{@link #get} is one {@link ConcurrentHashMap#get}: no lock, no write. Its only allocation
 *       is a small lookup key that escape analysis usually removes.
 *   <li>{@link #put} first drops the entries whose keys were collected, then refuses to grow past
 *       {@code maxSize}: a caller that cannot cache still works, only slower. Entries of collected
 *       keys are dropped on the next {@code put} or {@code remove}, so the map never holds more than
 *       {@code maxSize} entries, stale or not.
 *   <li>Values must not refer to their keys strongly, or the key can never be collected.
 * </ul>
 */
final class WeakIdentityMap<K, V> {

  private final ConcurrentHashMap<Object, V> entries = new ConcurrentHashMap<Object, V>();
  private final ReferenceQueue<K> collected = new ReferenceQueue<K>();
  private final int maxSize;

  WeakIdentityMap(int maxSize) {
    this.maxSize = maxSize;
  }

  V get(K key) {
    return key == null ? null : entries.get(new LookupKey(key));
  }

  /** Maps {@code key} to {@code value}; false when the map is full and nothing was stored. */
  boolean put(K key, V value) {
    if (key == null || value == null) {
      return false;
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
    expunge();
    return key == null ? null : entries.remove(new LookupKey(key));
  }

  /** Entries, including those whose keys were collected but not yet dropped. */
  int size() {
    return entries.size();
  }

  /** Drops the entries whose keys were collected. */
  void expunge() {
    Reference<? extends K> reference;
    while ((reference = collected.poll()) != null) {
      entries.remove(reference);
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
