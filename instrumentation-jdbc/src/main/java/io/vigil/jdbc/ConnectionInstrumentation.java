package io.vigil.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static io.vigil.api.SuperTypeMatchers.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.vigil.api.AdviceBinding;
import io.vigil.api.Candidates;
import io.vigil.api.ClassLoaderMatchers;
import io.vigil.api.TypeInstrumentation;
import io.vigil.bootstrap.JdbcTelemetry;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.sql.Connection} implementations: the SQL given to {@code prepareStatement} and {@code
 * prepareCall} is remembered (weakly, per statement) for the statement's later executions. A pool's
 * proxy connection and the driver's connection both remember theirs: each statement object is then
 * known, whichever of them the application executes.
 */
final class ConnectionInstrumentation implements TypeInstrumentation {

  private static final String CONNECTION = "java.sql.Connection";

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return ClassLoaderMatchers.canSeeAnyOf(CONNECTION);
  }

  @Override
  public ElementMatcher<? super TypeDescription> typeMatcher() {
    return not(isInterface()).and(hasSuperTypeNamed(CONNECTION));
  }

  @Override
  public Candidates candidates() {
    return Candidates.withSuperType(CONNECTION);
  }

  @Override
  public void applyAdvice(AdviceBinding binding) {
    binding.bind(
        isPublic()
            .and(not(isStatic()))
            .and(not(isAbstract()))
            .and(namedOneOf("prepareStatement", "prepareCall"))
            .and(takesArgument(0, String.class)),
        ConnectionInstrumentation.class.getName() + "$PrepareAdvice");
  }

  /** Remembers the statement's SQL once the driver returned it. */
  static final class PrepareAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object connection,
        @Advice.Argument(0) String sql,
        @Advice.Return Object statement) {
      JdbcTelemetry.prepared(connection, statement, sql);
    }
  }
}
