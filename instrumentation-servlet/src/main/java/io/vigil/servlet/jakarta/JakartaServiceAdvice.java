package io.vigil.servlet.jakarta;

import io.vigil.bootstrap.ServletTelemetry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Servlet.service(ServletRequest, ServletResponse)} and {@code
 * Filter.doFilter(ServletRequest, ServletResponse, FilterChain)}: the outermost call on a thread
 * starts and ends the request; deeper calls (filter chains, forward, include) only report which
 * servlet ran. Calls only the servlet API and {@link ServletTelemetry}.
 */
public final class JakartaServiceAdvice {

  private JakartaServiceAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object self,
      @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response) {
    int depth = ServletTelemetry.enter();
    if (depth != 1) {
      if (self instanceof Servlet) {
        ServletTelemetry.servletRan(self.getClass().getName());
      }
      return null;
    }
    if (!ServletTelemetry.active()
        || !(request instanceof HttpServletRequest)
        || !(response instanceof HttpServletResponse)) {
      return null;
    }
    HttpServletRequest http = (HttpServletRequest) request;
    DispatcherType type = http.getDispatcherType();
    if (type == DispatcherType.ASYNC) {
      return ServletTelemetry.resume(http.getAttribute(ServletTelemetry.STATE_ATTRIBUTE));
    }
    if (type != DispatcherType.REQUEST) {
      // Error pages and the like, dispatched by the container after the request was measured.
      return null;
    }
    String pattern = null;
    if (!ServletTelemetry.mappingApiMissing()) {
      try {
        HttpServletMapping mapping = http.getHttpServletMapping();
        if (mapping != null) {
          pattern = mapping.getPattern();
        }
      } catch (LinkageError servlet3) {
        ServletTelemetry.markMappingApiMissing();
      }
    }
    Object state =
        ServletTelemetry.start(
            http.getMethod(),
            http.getScheme(),
            http.getServerName(),
            http.getServerPort(),
            http.getRemoteAddr(),
            http.getRequestURI(),
            http.getContextPath(),
            http.getProtocol(),
            http.getHeader("User-Agent"),
            http.getHeader("traceparent"),
            http.getHeader("tracestate"),
            pattern);
    if (self instanceof Servlet) {
      ServletTelemetry.servletRan(self.getClass().getName());
    }
    return state;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object state,
      @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response,
      @Advice.Thrown Throwable thrown) {
    try {
      if (state != null) {
        HttpServletResponse http = (HttpServletResponse) response;
        int status = http.getStatus();
        if (thrown == null && status >= 500) {
          // A framework answered an exception with a 5xx: nothing escaped, but it failed all the same.
          Object handled = request.getAttribute(ServletTelemetry.SPRING_EXCEPTION_ATTRIBUTE);
          ServletTelemetry.handledError(
              state, handled != null ? handled : request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        }
        ServletTelemetry.serviceExit(
            state,
            status,
            http.isCommitted(),
            thrown,
            request.getAttribute(ServletTelemetry.SPRING_PATTERN_ATTRIBUTE));
      }
    } finally {
      ServletTelemetry.exit();
    }
  }
}
