package io.vigil.api.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the values of one label whose values come from the application (exception class names,
 * SQL operations and tables): values longer than {@code maxLength} are cut to it, the first {@code
 * maxValues} distinct values are admitted for the life of the cap, and every later new value is
 * reported as {@value #OVERFLOW} and counted in {@code vigil_agent_label_overflow_total{label}}.
 *
 * <p>Thread-safe and lock-free: a value already admitted, within the length, costs one {@link
 * ConcurrentHashMap#get} and allocates nothing. A slot is reserved with a compare-and-set before
 * the insert, so the set never holds more than {@code maxValues} values however many threads race.
 */
public final class LabelCap {

  /** The value reported for every new value once the cap is reached. */
  public static final String OVERFLOW = "_OTHER";

  private final String label;
  private final int maxValues;
  private final int maxLength;
  private final Runnable onOverflow;
  private final ConcurrentHashMap<String, String> admitted;
  private final AtomicInteger reserved = new AtomicInteger();

  /**
   * @param label the label's name, as in {@code vigil_agent_label_overflow_total{label}}
   * @param maxValues distinct values admitted; 0 or more
   * @param maxLength longest value kept; at least 1
   * @param onOverflow run once per value reported as {@value #OVERFLOW}; cheap, never throws
   */
  public LabelCap(String label, int maxValues, int maxLength, Runnable onOverflow) {
    if (maxValues < 0 || maxLength < 1) {
      throw new IllegalArgumentException(label + ": maxValues " + maxValues + ", maxLength " + maxLength);
    }
    this.label = label;
    this.maxValues = maxValues;
    this.maxLength = maxLength;
    this.onOverflow = onOverflow;
    this.admitted = new ConcurrentHashMap<>(Math.min(maxValues, 64));
  }

  /**
   * {@code value}, cut to the maximum length, if it is admitted or a slot is free; else {@value
   * #OVERFLOW}. {@code null} and {@code ""} are returned as they are and take no slot (they mean
   * "no value").
   */
  public String limit(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    String kept = value.length() > maxLength ? value.substring(0, maxLength) : value;
    String known = admitted.get(kept);
    if (known != null) {
      return known;
    }
    while (true) {
      int taken = reserved.get();
      if (taken >= maxValues) {
        known = admitted.get(kept); // admitted by another thread since the first look
        if (known != null) {
          return known;
        }
        onOverflow.run();
        return OVERFLOW;
      }
      if (reserved.compareAndSet(taken, taken + 1)) {
        break;
      }
    }
    known = admitted.putIfAbsent(kept, kept);
    if (known != null) {
      reserved.decrementAndGet(); // a concurrent call admitted it first: give the slot back
      return known;
    }
    return kept;
  }

  public String label() {
    return label;
  }

  public int maxValues() {
    return maxValues;
  }

  public int maxLength() {
    return maxLength;
  }

  /** Values admitted so far; at most {@link #maxValues}. */
  public int size() {
    return admitted.size();
  }
}
