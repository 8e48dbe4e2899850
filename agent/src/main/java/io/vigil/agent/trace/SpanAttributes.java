package io.vigil.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A span's attributes in one array of key, value, key, value, sized for what Vigil's spans carry
 * (twelve at most today) and grown only past that, up to a limit past which attributes are counted
 * as dropped.
 *
 * <p>The SDK's map allocates four arrays sized for sixteen entries plus a hash table for every span,
 * and copies itself again into an immutable map when the span is exported; a linear scan over a
 * dozen keys is as fast as that hash, and the exporter reads this very object, since nothing writes
 * to it once its span has ended.
 *
 * <p>A key replaces an earlier one of the same name, as in the SDK. Not thread-safe: one thread at a
 * time writes, and the span's end publishes it to the export thread.
 */
final class SpanAttributes implements Attributes {

  static final int INITIAL_CAPACITY = 12;

  private final int limit;
  private Object[] entries;
  private int size;
  private int totalAdded;

  SpanAttributes(int limit) {
    this.limit = limit;
    this.entries = new Object[2 * Math.min(INITIAL_CAPACITY, limit)];
  }

  <T> void put(AttributeKey<T> key, T value) {
    if (key == null || value == null || key.getKey().isEmpty()) {
      return;
    }
    String name = key.getKey();
    int hash = name.hashCode(); // cached in the name: the comparison below rarely reads characters
    for (int i = 0; i < 2 * size; i += 2) {
      AttributeKey<?> existing = (AttributeKey<?>) entries[i];
      if (existing == key || sameName(existing.getKey(), name, hash)) {
        entries[i] = key;
        entries[i + 1] = value;
        return;
      }
    }
    totalAdded++;
    if (size == limit) {
      return;
    }
    if (2 * size == entries.length) {
      Object[] grown = new Object[2 * Math.min(2 * size, limit)];
      System.arraycopy(entries, 0, grown, 0, entries.length);
      entries = grown;
    }
    entries[2 * size] = key;
    entries[2 * size + 1] = value;
    size++;
  }

  private static boolean sameName(String existing, String name, int hash) {
    return existing == name || (existing.hashCode() == hash && existing.equals(name));
  }

  /** Puts each of {@code attributes}, in their order, as {@link #put} does. */
  void putAll(Attributes attributes) {
    attributes.forEach(this::putUnchecked);
  }

  @SuppressWarnings("unchecked")
  private void putUnchecked(AttributeKey<?> key, Object value) {
    put((AttributeKey<Object>) key, value);
  }

  /** Attributes offered, kept or not: what the exporter reports as dropped is this minus {@link #size()}. */
  int totalAdded() {
    return totalAdded;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    if (key == null) {
      return null;
    }
    for (int i = 0; i < 2 * size; i += 2) {
      AttributeKey<?> existing = (AttributeKey<?>) entries[i];
      if (existing == key
          || (existing.getType() == key.getType() && sameName(existing.getKey(), key.getKey(), key.getKey().hashCode()))) {
        return (T) entries[i + 1];
      }
    }
    return null;
  }

  @Override
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    for (int i = 0; i < 2 * size; i += 2) {
      consumer.accept((AttributeKey<?>) entries[i], entries[i + 1]);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  @Override
  public AttributesBuilder toBuilder() {
    return Attributes.builder().putAll(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Attributes && asMap().equals(((Attributes) other).asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
