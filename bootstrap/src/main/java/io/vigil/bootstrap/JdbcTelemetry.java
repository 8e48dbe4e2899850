package io.vigil.bootstrap;

/**
 * The seam between woven JDBC classes and the agent. Advice inlined into {@code java.sql.Statement}
 * and {@code java.sql.Connection} implementations of any driver or pool calls only these static
 * methods; the agent installs the {@link Handler} that times, counts and traces.
 *
 * <p>A per-thread call depth makes wrappers count once: when a pool's proxy statement delegates to
 * the driver's statement, both are woven, and only the outermost call of the thread reaches the
 * handler. Every {@code start*} / {@code enter*} call must be paired with one {@link #end} (the exit
 * advice runs on normal and exceptional return alike). The depth lives in a {@code ThreadLocal} of
 * an {@code int[1]}, never an application object.
 *
 * <p>Lives on the bootstrap class path so that advice in any class loader can call it. JDK types
 * only; it never throws; until the agent installs a handler every call is a cheap no-op.
 */
public final class JdbcTelemetry {

  /** The agent side. Implementations are on the statement hot path: thread-safe, lock-free, quick. */
  public interface Handler {
    /**
     * An outermost execution of {@code sql} on {@code statement} begins.
     *
     * @return the state to hand to {@link #end}, or null when there is nothing to record
     */
    Object start(Object statement, String sql);

    /** An outermost execution of a prepared (or callable) statement without SQL argument begins. */
    Object startPrepared(Object statement);

    /** An outermost {@code executeBatch} / {@code executeLargeBatch} begins. */
    Object startBatch(Object statement);

    /** The execution that {@code start*} returned {@code state} for ended; {@code error} if it threw. */
    void end(Object state, Throwable error);

    /** {@code connection.prepareStatement(sql)} or {@code prepareCall(sql)} returned {@code statement}. */
    void prepared(Object connection, Object statement, String sql);

    /** An outermost {@code addBatch(sql)} succeeded; {@code sql} is null for {@code addBatch()}. */
    void addBatch(Object statement, String sql);

    /** {@code clearBatch()} on {@code statement}. */
    void clearBatch(Object statement);

    /** {@code close()} on {@code statement}: whatever is remembered of it can go. */
    void closed(Object statement);
  }

  /** Marks a call that must only lower the depth: nested in another, or with nothing to record. */
  private static final Object NESTED = new Object();

  /** Marks an outermost {@code addBatch} call. */
  private static final Object OUTER = new Object();

  private static final Handler NO_OP =
      new Handler() {
        @Override
        public Object start(Object statement, String sql) {
          return null;
        }

        @Override
        public Object startPrepared(Object statement) {
          return null;
        }

        @Override
        public Object startBatch(Object statement) {
          return null;
        }

        @Override
        public void end(Object state, Throwable error) {}

        @Override
        public void prepared(Object connection, Object statement, String sql) {}

        @Override
        public void addBatch(Object statement, String sql) {}

        @Override
        public void clearBatch(Object statement) {}

        @Override
        public void closed(Object statement) {}
      };

  private static final ThreadLocal<int[]> DEPTH =
      new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
          return new int[1];
        }
      };

  private static volatile Handler handler = NO_OP;

  private JdbcTelemetry() {}

  /** Called by the agent at start; null restores the no-op. */
  public static void install(Handler newHandler) {
    handler = newHandler == null ? NO_OP : newHandler;
  }

  /** Enter advice of {@code execute*(String sql, ...)}. Never returns null. */
  public static Object start(Object statement, String sql) {
    int[] depth = DEPTH.get();
    if (depth[0]++ > 0) {
      return NESTED;
    }
    try {
      Object state = handler.start(statement, sql);
      return state == null ? NESTED : state;
    } catch (Throwable t) {
      return NESTED;
    }
  }

  /** Enter advice of the argument-less {@code execute*()} of prepared statements. Never returns null. */
  public static Object startPrepared(Object statement) {
    int[] depth = DEPTH.get();
    if (depth[0]++ > 0) {
      return NESTED;
    }
    try {
      Object state = handler.startPrepared(statement);
      return state == null ? NESTED : state;
    } catch (Throwable t) {
      return NESTED;
    }
  }

  /** Enter advice of {@code executeBatch()} / {@code executeLargeBatch()}. Never returns null. */
  public static Object startBatch(Object statement) {
    int[] depth = DEPTH.get();
    if (depth[0]++ > 0) {
      return NESTED;
    }
    try {
      Object state = handler.startBatch(statement);
      return state == null ? NESTED : state;
    } catch (Throwable t) {
      return NESTED;
    }
  }

  /**
   * Exit advice of every {@code start*}: lowers the depth and, for an outermost call, records it.
   * A null {@code state} means the enter advice never ran; then nothing happens.
   */
  public static void end(Object state, Throwable error) {
    if (state == null) {
      return;
    }
    int[] depth = DEPTH.get();
    if (depth[0] > 0) {
      depth[0]--;
    }
    if (state != NESTED) {
      try {
        handler.end(state, error);
      } catch (Throwable ignored) {
        // Agent code; its failure must not reach the application.
      }
    }
  }

  /** Enter advice of {@code addBatch}: raises the depth. Never returns null. */
  public static Object enterAddBatch() {
    int[] depth = DEPTH.get();
    return depth[0]++ > 0 ? NESTED : OUTER;
  }

  /** Exit advice of {@code addBatch}: lowers the depth; an outermost success is remembered. */
  public static void exitAddBatch(Object token, Object statement, String sql, Throwable error) {
    if (token == null) {
      return;
    }
    int[] depth = DEPTH.get();
    if (depth[0] > 0) {
      depth[0]--;
    }
    if (token == OUTER && error == null) {
      try {
        handler.addBatch(statement, sql);
      } catch (Throwable ignored) {
        // As above.
      }
    }
  }

  /** Exit advice of {@code clearBatch()}. */
  public static void clearBatch(Object statement) {
    try {
      handler.clearBatch(statement);
    } catch (Throwable ignored) {
      // As above.
    }
  }

  /** Exit advice of {@code Statement.close()}. */
  public static void closed(Object statement) {
    try {
      handler.closed(statement);
    } catch (Throwable ignored) {
      // As above.
    }
  }

  /** Exit advice of {@code Connection.prepareStatement(sql, ...)} / {@code prepareCall(sql, ...)}. */
  public static void prepared(Object connection, Object statement, String sql) {
    if (statement == null || sql == null) {
      return;
    }
    try {
      handler.prepared(connection, statement, sql);
    } catch (Throwable ignored) {
      // As above.
    }
  }

  /** The current thread's JDBC call depth, for tests. */
  static int depth() {
    return DEPTH.get()[0];
  }
}
