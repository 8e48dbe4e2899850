package io.vigil.api;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Receives the advice a {@link TypeInstrumentation} applies to the methods of a matched type. */
public interface AdviceBinding {

  /**
   * Weaves the advice class named {@code adviceClassName} (a class with {@code @Advice.OnMethodEnter}
   * / {@code @Advice.OnMethodExit} methods, read as a template and inlined) into every method that
   * {@code methods} matches.
   */
  void bind(ElementMatcher<? super MethodDescription> methods, String adviceClassName);
}
