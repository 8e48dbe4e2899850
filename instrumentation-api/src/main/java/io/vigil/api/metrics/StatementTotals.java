package io.vigil.api.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative executions, errors and time per sanitized statement, for the agent's summary API
 * (which turns them into per-minute deltas). Never exported as metric labels: the statement text
 * is too many values for a label.
 *
 * <p>A caller resolves a {@link Statement} once (the JDBC instrumentation keeps it beside the
 * statement's histogram child) and then only calls {@link Statement#record}: three striped adds, no
 * lock, no lookup. At most {@code maxStatements} distinct statements are kept; every later one is
 * counted in one shared {@value #OTHER} entry, so an application that inlines values into its SQL
 * cannot grow this.
 */
public final class StatementTotals {

  public static final int DEFAULT_MAX_STATEMENTS = 1000;

  /** The text, system and operation of the entry that folds the statements past the cap. */
  public static final String OTHER = "_OTHER";

  private final int maxStatements;
  private final ConcurrentHashMap<String, Statement> statements = new ConcurrentHashMap<String, Statement>();
  private final AtomicInteger reserved = new AtomicInteger();
  private final Statement other = new Statement(OTHER, OTHER, null, null);

  public StatementTotals(int maxStatements) {
    if (maxStatements < 0) {
      throw new IllegalArgumentException("maxStatements must be >= 0, was " + maxStatements);
    }
    this.maxStatements = maxStatements;
  }

  /**
   * The entry of one sanitized statement of one database system, created on first use; the {@value
   * #OTHER} entry once the cap is reached. Allocates a key: call it once per statement, not per
   * execution.
   */
  public Statement statement(String system, String text, String operation, String collection) {
    String key = system + '\0' + text;
    Statement known = statements.get(key);
    if (known != null) {
      return known;
    }
    while (true) {
      int taken = reserved.get();
      if (taken >= maxStatements) {
        known = statements.get(key);
        return known != null ? known : other;
      }
      if (reserved.compareAndSet(taken, taken + 1)) {
        break;
      }
    }
    Statement created = new Statement(system, text, operation, collection);
    known = statements.putIfAbsent(key, created);
    if (known != null) {
      reserved.decrementAndGet();
      return known;
    }
    return created;
  }

  /** Every entry, the {@value #OTHER} one last and only once something was folded into it. */
  public List<Statement> all() {
    List<Statement> all = new ArrayList<Statement>(statements.values());
    if (other.count() > 0) {
      all.add(other);
    }
    return all;
  }

  public int maxStatements() {
    return maxStatements;
  }

  /** One statement's running totals; identity is the key the summary reads them by. */
  public static final class Statement {

    private final String system;
    private final String text;
    private final String operation;
    private final String collection;
    private final LongAdder count = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    Statement(String system, String text, String operation, String collection) {
      this.system = system;
      this.text = text;
      this.operation = operation;
      this.collection = collection;
    }

    /** One execution that took {@code durationNanos}, failed or not. */
    public void record(long durationNanos, boolean failed) {
      count.increment();
      nanos.add(durationNanos);
      if (failed) {
        errors.increment();
      }
    }

    public String system() {
      return system;
    }

    /** The sanitized text: literals replaced by {@code ?}; never raw SQL. */
    public String text() {
      return text;
    }

    public String operation() {
      return operation;
    }

    public String collection() {
      return collection;
    }

    public long count() {
      return count.sum();
    }

    public long errors() {
      return errors.sum();
    }

    public long nanos() {
      return nanos.sum();
    }
  }
}
