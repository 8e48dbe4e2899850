package io.vigil.servlet.jakarta;

import io.vigil.bootstrap.ServletTelemetry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ServletRequest.startAsync(..)}: adds the agent's listener (built in the
 * servlet API's class loader) so that the request ends when its async work completes, and keeps
 * the request's state for later async dispatches. Wrappers delegating to the real request call
 * this more than once; only the first adds a listener.
 */
public final class JakartaStartAsyncAdvice {

  private JakartaStartAsyncAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This ServletRequest request, @Advice.Return AsyncContext context) {
    if (context == null) {
      return;
    }
    Object state = ServletTelemetry.current();
    if (state == null) {
      return;
    }
    Object listener = ServletTelemetry.asyncListener(state, AsyncListener.class);
    if (listener != null) {
      context.addListener((AsyncListener) listener);
      ServletTelemetry.asyncListenerAdded(state);
      request.setAttribute(ServletTelemetry.STATE_ATTRIBUTE, state);
    }
  }
}
