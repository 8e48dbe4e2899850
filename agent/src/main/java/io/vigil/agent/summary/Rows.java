package io.vigil.agent.summary;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One slot's changed series of one kind, immutable and packed: a key per row (the ring's canonical
 * key object, shared by every slot) and {@code stride} values per row in one array, of ints when
 * every value fits (a minute of almost any service), else of longs. Series that did not change are
 * not stored, so an idle route costs nothing.
 */
final class Rows {

  static final Rows EMPTY = new Rows(new Object[0], 1, new int[0], null);

  private final Object[] keys;
  private final int stride;
  private final int[] ints;
  private final long[] longs;

  private Rows(Object[] keys, int stride, int[] ints, long[] longs) {
    this.keys = keys;
    this.stride = stride;
    this.ints = ints;
    this.longs = longs;
  }

  int size() {
    return keys.length;
  }

  Object key(int row) {
    return keys[row];
  }

  long value(int row, int column) {
    int at = row * stride + column;
    return ints != null ? ints[at] : longs[at];
  }

  /** Adds every row into {@code sums}, by key; arrays of {@code stride} longs are created as needed. */
  void addTo(Map<Object, long[]> sums) {
    for (int row = 0; row < keys.length; row++) {
      long[] sum = sums.get(keys[row]);
      if (sum == null) {
        sum = new long[stride];
        sums.put(keys[row], sum);
      }
      for (int column = 0; column < stride; column++) {
        sum[column] += value(row, column);
      }
    }
  }

  /** The rows of both, summed where the key is the same: what an hourly slot keeps. */
  Rows plus(Rows other) {
    if (other.size() == 0) {
      return this;
    }
    if (size() == 0) {
      return other;
    }
    Map<Object, long[]> sums = new IdentityHashMap<Object, long[]>();
    addTo(sums);
    other.addTo(sums);
    Builder builder = new Builder(Math.max(stride, other.stride));
    for (Map.Entry<Object, long[]> entry : sums.entrySet()) {
      builder.add(entry.getKey(), entry.getValue());
    }
    return builder.build();
  }

  /** Collects rows, then packs them. Not thread-safe. */
  static final class Builder {

    private final int stride;
    private Object[] keys = new Object[8];
    private long[] values;
    private int size;

    Builder(int stride) {
      this.stride = stride;
      this.values = new long[8 * stride];
    }

    Builder add(Object key, long[] row) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2 * stride);
      }
      keys[size] = key;
      System.arraycopy(row, 0, values, size * stride, stride);
      size++;
      return this;
    }

    Rows build() {
      if (size == 0) {
        return EMPTY;
      }
      Object[] packedKeys = Arrays.copyOf(keys, size);
      int length = size * stride;
      for (int i = 0; i < length; i++) {
        if (values[i] > Integer.MAX_VALUE || values[i] < Integer.MIN_VALUE) {
          return new Rows(packedKeys, stride, null, Arrays.copyOf(values, length));
        }
      }
      int[] packed = new int[length];
      for (int i = 0; i < length; i++) {
        packed[i] = (int) values[i];
      }
      return new Rows(packedKeys, stride, packed, null);
    }
  }
}
