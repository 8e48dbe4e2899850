package io.vigil.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static io.vigil.api.SuperTypeMatchers.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.vigil.api.AdviceBinding;
import io.vigil.api.Candidates;
import io.vigil.api.ClassLoaderMatchers;
import io.vigil.api.TypeInstrumentation;
import io.vigil.bootstrap.JdbcTelemetry;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every class of any driver, pool or wrapper that implements {@code java.sql.Statement} (and so
 * {@code PreparedStatement} and {@code CallableStatement}), matched by interface, never by name.
 *
 * <p>Abstract classes are woven too: a pool's proxy (HikariCP's {@code ProxyStatement}) or a
 * driver's base class may hold the {@code execute*} code that its concrete subclasses inherit, and
 * advice only reaches code in the class that declares it. Interfaces are not (their default
 * methods are the JDK's or unimplemented stubs). Wrapper and delegate are then both woven; the
 * call depth in {@link JdbcTelemetry} makes the outermost call the only one recorded.
 */
final class StatementInstrumentation implements TypeInstrumentation {

  private static final String STATEMENT = "java.sql.Statement";

  private static final String[] EXECUTE = {"execute", "executeQuery", "executeUpdate", "executeLargeUpdate"};

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    // Keeps the bootstrap loader (the JDK, which implements no driver) out before any hierarchy walk.
    return ClassLoaderMatchers.canSeeAnyOf(STATEMENT);
  }

  @Override
  public ElementMatcher<? super TypeDescription> typeMatcher() {
    return not(isInterface()).and(hasSuperTypeNamed(STATEMENT));
  }

  @Override
  public Candidates candidates() {
    return Candidates.withSuperType(STATEMENT);
  }

  @Override
  public void applyAdvice(AdviceBinding binding) {
    binding.bind(
        instanceMethod().and(namedOneOf(EXECUTE)).and(takesArgument(0, String.class)),
        StatementInstrumentation.class.getName() + "$ExecuteSqlAdvice");
    binding.bind(
        instanceMethod().and(namedOneOf(EXECUTE)).and(takesArguments(0)),
        StatementInstrumentation.class.getName() + "$ExecutePreparedAdvice");
    binding.bind(
        instanceMethod().and(namedOneOf("executeBatch", "executeLargeBatch")).and(takesArguments(0)),
        StatementInstrumentation.class.getName() + "$ExecuteBatchAdvice");
    binding.bind(
        instanceMethod().and(named("addBatch")).and(takesArguments(String.class)),
        StatementInstrumentation.class.getName() + "$AddBatchSqlAdvice");
    binding.bind(
        instanceMethod().and(named("addBatch")).and(takesArguments(0)),
        StatementInstrumentation.class.getName() + "$AddBatchAdvice");
    binding.bind(
        instanceMethod().and(named("clearBatch")).and(takesArguments(0)),
        StatementInstrumentation.class.getName() + "$ClearBatchAdvice");
    binding.bind(
        instanceMethod().and(named("close")).and(takesArguments(0)),
        StatementInstrumentation.class.getName() + "$CloseAdvice");
  }

  private static ElementMatcher.Junction<MethodDescription> instanceMethod() {
    return isPublic().and(not(isStatic())).and(not(isAbstract()));
  }

  /** {@code execute(sql)}, {@code executeQuery(sql)}, {@code executeUpdate(sql, ...)}, ... */
  static final class ExecuteSqlAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
      return JdbcTelemetry.start(statement, sql);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object state, @Advice.Thrown Throwable error) {
      JdbcTelemetry.end(state, error);
    }
  }

  /** {@code execute()}, {@code executeQuery()}, ... of a prepared or callable statement. */
  static final class ExecutePreparedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object statement) {
      return JdbcTelemetry.startPrepared(statement);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object state, @Advice.Thrown Throwable error) {
      JdbcTelemetry.end(state, error);
    }
  }

  /** {@code executeBatch()} and {@code executeLargeBatch()}: one observation per batch. */
  static final class ExecuteBatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object statement) {
      return JdbcTelemetry.startBatch(statement);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object state, @Advice.Thrown Throwable error) {
      JdbcTelemetry.end(state, error);
    }
  }

  /** {@code addBatch(sql)} of a plain statement: its SQL describes the batch. */
  static final class AddBatchSqlAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
      return JdbcTelemetry.enterAddBatch();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.This Object statement,
        @Advice.Argument(0) String sql,
        @Advice.Thrown Throwable error) {
      JdbcTelemetry.exitAddBatch(token, statement, sql, error);
    }
  }

  /** {@code addBatch()} of a prepared statement: counts the batch. */
  static final class AddBatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
      return JdbcTelemetry.enterAddBatch();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.Enter Object token, @Advice.This Object statement, @Advice.Thrown Throwable error) {
      JdbcTelemetry.exitAddBatch(token, statement, null, error);
    }
  }

  /** {@code clearBatch()}. */
  static final class ClearBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object statement) {
      JdbcTelemetry.clearBatch(statement);
    }
  }

  /**
   * {@code close()}: the statement's remembered SQL goes now rather than when the garbage collector
   * clears it, so that the map's entries die young instead of being copied by every collection.
   */
  static final class CloseAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object statement) {
      JdbcTelemetry.closed(statement);
    }
  }
}
