package io.vigil.servlet;

import io.vigil.bootstrap.ServletTelemetry;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Servlet.init(ServletConfig)} and {@code Filter.init(FilterConfig)}: readiness. */
public final class InitAdvice {

  private InitAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit() {
    ServletTelemetry.containerStarted();
  }
}
