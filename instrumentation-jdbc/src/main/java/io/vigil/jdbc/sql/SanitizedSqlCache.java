package io.vigil.jdbc.sql;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded cache from raw SQL to its {@link SanitizedSql}, for the statement hot path.
 *
 * <ul>
 *   <li>A hit is one {@link ConcurrentHashMap#get} call: no lock, no write, no allocation.
 *   <li>A miss sanitizes (linear in the statement) and caches the result, unless the statement is
 *       longer than {@code maxCachedSqlLength}: such statements are usually generated with inlined
 *       values, rarely repeat, and would pin large strings.
 *   <li>The entry count never exceeds {@code maxEntries}. A counter of reserved slots is raised
 *       before every insert and lowered after every removal, so the map never holds more entries
 *       than the counter, and the counter never passes the bound.
 *   <li>When full, the whole cache is emptied and refilled on demand. An application's set of
 *       distinct statements is normally far below the bound, so this rarely happens; one that
 *       inlines values into SQL would evict any entry sooner or later, and a refill costs only one
 *       sanitize per miss. This spares every hit the bookkeeping (access order, frequency counts)
 *       that an LRU or LFU policy would write on the hot path.
 *   <li>A miss never waits: if a slot cannot be had after emptying, because other threads are
 *       inserting at the same moment, the result is returned uncached.
 * </ul>
 *
 * <p>Worst-case memory is {@code maxEntries} statements of {@code maxCachedSqlLength} characters
 * plus their sanitized texts. Thread-safe.
 */
public final class SanitizedSqlCache {

  /** Statements longer than this many characters are not cached by default. */
  public static final int DEFAULT_MAX_CACHED_SQL_LENGTH = 16 * 1024;

  private static final int RESERVE_ATTEMPTS = 3;

  private final ConcurrentHashMap<String, SanitizedSql> entries;
  private final AtomicInteger reservedSlots = new AtomicInteger();
  private final int maxEntries;
  private final int maxCachedSqlLength;
  private final SqlDialect dialect;

  /**
   * A cache of at most {@code maxEntries} statements in the {@link SqlDialect#STANDARD} dialect.
   */
  public SanitizedSqlCache(int maxEntries) {
    this(maxEntries, DEFAULT_MAX_CACHED_SQL_LENGTH, SqlDialect.STANDARD);
  }

  /**
   * @param maxEntries most statements held at once; 0 caches nothing
   * @param maxCachedSqlLength longer statements are sanitized on every call
   * @param dialect passed to {@link SqlSanitizer#sanitize(String, SqlDialect)}
   * @throws IllegalArgumentException for a negative bound or a null dialect
   */
  public SanitizedSqlCache(int maxEntries, int maxCachedSqlLength, SqlDialect dialect) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be >= 0, was " + maxEntries);
    }
    if (maxCachedSqlLength < 0) {
      throw new IllegalArgumentException(
          "maxCachedSqlLength must be >= 0, was " + maxCachedSqlLength);
    }
    if (dialect == null) {
      throw new IllegalArgumentException("dialect must not be null");
    }
    this.maxEntries = maxEntries;
    this.maxCachedSqlLength = maxCachedSqlLength;
    this.dialect = dialect;
    this.entries = new ConcurrentHashMap<String, SanitizedSql>();
  }

  /** The sanitized form of {@code sql}, from the cache when present; never null, never throws. */
  public SanitizedSql sanitize(String sql) {
    if (sql == null) {
      return SqlSanitizer.sanitize(null, dialect);
    }
    SanitizedSql cached = entries.get(sql);
    if (cached != null) {
      return cached;
    }
    SanitizedSql sanitized = SqlSanitizer.sanitize(sql, dialect);
    if (sql.length() <= maxCachedSqlLength && reserveSlot()) {
      if (entries.putIfAbsent(sql, sanitized) != null) {
        // Another thread cached the same statement first; its slot is the one that counts.
        reservedSlots.decrementAndGet();
      }
    }
    return sanitized;
  }

  /**
   * The number of cached statements, never more than the bound given to the constructor. While
   * other threads insert, this counts their slots too, so it may run ahead of the entries by the
   * number of inserts in flight; it is exact when none are. ({@link ConcurrentHashMap#size()} is
   * not used: under concurrent removal and insertion it can report more entries than exist.)
   */
  public int size() {
    return reservedSlots.get();
  }

  /** The map's own count, for tests that check it agrees with {@link #size()} when idle. */
  int entryCount() {
    return entries.size();
  }

  private boolean reserveSlot() {
    for (int attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
      int reserved = reservedSlots.get();
      if (reserved < maxEntries) {
        if (reservedSlots.compareAndSet(reserved, reserved + 1)) {
          return true;
        }
      } else if (maxEntries == 0) {
        return false;
      } else {
        evictAll();
      }
    }
    return false;
  }

  private void evictAll() {
    for (String sql : entries.keySet()) {
      if (entries.remove(sql) != null) {
        reservedSlots.decrementAndGet();
      }
    }
  }
}
