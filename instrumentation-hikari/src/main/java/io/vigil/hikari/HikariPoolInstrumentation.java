package io.vigil.hikari;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.vigil.api.AdviceBinding;
import io.vigil.api.Candidates;
import io.vigil.api.ClassLoaderMatchers;
import io.vigil.api.TypeInstrumentation;
import io.vigil.bootstrap.HikariPools;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HikariPool.setMetricsTrackerFactory(MetricsTrackerFactory)}: HikariCP's own extension
 * point, the same from 3.x to 6.x. Every pool passes through it while it is built (with the
 * configured factory, or null, by way of {@code setMetricRegistry}), and again whenever the
 * application sets a factory on a running {@code HikariDataSource}; so pools made by hand, by
 * Spring Boot or by any other framework are all covered, and the application's factory (Micrometer,
 * Prometheus, Dropwizard, its own) is wrapped, never replaced.
 */
final class HikariPoolInstrumentation implements TypeInstrumentation {

  static final String POOL_CLASS = "com.zaxxer.hikari.pool.HikariPool";

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return ClassLoaderMatchers.canSeeAnyOf(POOL_CLASS);
  }

  @Override
  public ElementMatcher<? super TypeDescription> typeMatcher() {
    return named(POOL_CLASS);
  }

  @Override
  public Candidates candidates() {
    return Candidates.named(POOL_CLASS);
  }

  @Override
  public void applyAdvice(AdviceBinding binding) {
    binding.bind(
        named("setMetricsTrackerFactory")
            .and(takesArguments(1))
            .and(takesArgument(0, named("com.zaxxer.hikari.metrics.MetricsTrackerFactory"))),
        SetMetricsTrackerFactoryAdvice.class.getName());
  }

  /** Inlined into {@code HikariPool}: swaps the argument for the agent's chaining factory. */
  @SuppressWarnings("unused")
  static final class SetMetricsTrackerFactoryAdvice {
    private SetMetricsTrackerFactoryAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void onEnter(
        @Advice.This Object pool,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object factory) {
      factory = HikariPools.trackerFactory(pool, factory);
    }
  }
}
