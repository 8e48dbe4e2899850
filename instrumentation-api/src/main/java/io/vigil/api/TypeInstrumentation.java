package io.vigil.api;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/** A type matcher and the advice applied to the methods of the types it matches. */
public interface TypeInstrumentation {

  /**
   * A cheap pre-filter run before {@link #typeMatcher()}: typically "this loader can see the
   * library's marker class". Type hierarchy matching is expensive; most loaders fail this test.
   */
  default ElementMatcher<ClassLoader> classLoaderMatcher() {
    return ElementMatchers.any();
  }

  ElementMatcher<? super TypeDescription> typeMatcher();

  /**
   * The classes {@link #typeMatcher()} can match at most, by name or super type: the agent skips
   * all others without describing them. The default promises nothing, which turns that skipping
   * off for every instrumentation, so any instrumentation that can should say.
   */
  default Candidates candidates() {
    return Candidates.any();
  }

  /** Binds advice classes (by name, they are never loaded) to methods of a matched type. */
  void applyAdvice(AdviceBinding binding);
}
