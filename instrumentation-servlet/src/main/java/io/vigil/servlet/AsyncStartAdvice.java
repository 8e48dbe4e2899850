package io.vigil.servlet;

import io.vigil.bootstrap.ServletTelemetry;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code AsyncContext.start(Runnable)}: the task runs in the request's context. */
public final class AsyncStartAdvice {

  private AsyncStartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
    task = ServletTelemetry.wrap(task);
  }
}
