package io.vigil.bootstrap;

/**
 * The seam between woven servlet code (javax and jakarta alike) and the agent. The advice reads
 * plain values off the request and response and hands them here; the agent's {@link Handler}
 * times the request, decides its route, runs its server span and puts the trace ids into the
 * application's MDC.
 *
 * <h2>Once per request</h2>
 *
 * Every woven {@code Servlet.service} and {@code Filter.doFilter} calls {@link #enter} first and
 * {@link #exit} last. Only the outermost call on a thread ({@code enter() == 1}) starts a request;
 * filters, {@code forward}, {@code include} and nested servlets are deeper and only report which
 * servlet ran ({@link #servletRan}). The depth is per thread and lives in one small mutable frame
 * per thread, so the guard allocates nothing per call.
 *
 * <h2>Async</h2>
 *
 * When the application starts async processing, {@link #asyncListener} returns a listener (built
 * by the agent in the servlet API's own class loader) that ends the request when the async work
 * completes; the request then outlives its {@code service()} call. {@link #resume}/{@link
 * #serviceExit} make the request's context current again during an async dispatch, {@link #wrap}
 * carries it into {@code AsyncContext.start} tasks.
 *
 * <p>Lives on the bootstrap class path; JDK types only. Every method is safe to call before the
 * agent installs its handler (it then does nothing) and never throws.
 */
public final class ServletTelemetry {

  /** The request attribute under which an async request's state is kept for its dispatches. */
  public static final String STATE_ATTRIBUTE = "io.vigil.servlet.state";

  /**
   * Spring MVC's {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}, read at request end; no
   * Spring dependency.
   */
  public static final String SPRING_PATTERN_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /**
   * Spring MVC's {@code DispatcherServlet.EXCEPTION_ATTRIBUTE}: the exception an
   * {@code @ExceptionHandler} answered with a response body, so none escaped.
   */
  public static final String SPRING_EXCEPTION_ATTRIBUTE =
      "org.springframework.web.servlet.DispatcherServlet.EXCEPTION";

  /** The agent side. Thread-safe; on the request path, so lock-free and quick. */
  public interface Handler {
    /**
     * A request starts (outermost call on this thread, dispatcher type {@code REQUEST}).
     *
     * @return the request's state, handed back to {@link #end}; null to track nothing
     */
    Object start(
        String method,
        String scheme,
        String serverName,
        int serverPort,
        String clientAddress,
        String requestUri,
        String contextPath,
        String protocol,
        String userAgent,
        String traceparent,
        String tracestate,
        String servletPattern);

    /** A servlet's {@code service} ran for the request {@code state} (at any depth). */
    void servletRan(Object state, String servletClassName);

    /**
     * The outermost {@code service}/{@code doFilter} returned or threw. The request ends here
     * unless async processing holds it; then it ends when the async work completes.
     */
    void serviceExit(
        Object state, int status, boolean committed, Throwable thrown, Object frameworkPattern);

    /**
     * Called before {@link #serviceExit} when nothing was thrown but the response is a 5xx: {@code
     * error} is the exception a framework handled into it (a request attribute), or null.
     */
    default void handledError(Object state, Object error) {}

    /**
     * The application started async processing of {@code state}.
     *
     * @param listenerInterface the servlet API's {@code AsyncListener} interface, as the
     *     application's class loader sees it
     * @return an instance of {@code listenerInterface} to add to the {@code AsyncContext}, or null
     *     when one was already added for this request
     */
    Object asyncListener(Object state, Class<?> listenerInterface);

    /** {@link #asyncListener}'s listener was added to the {@code AsyncContext}. */
    void asyncListenerAdded(Object state);

    /**
     * Makes {@code state}'s context current on this thread for an async dispatch; returns a token
     * that {@link #serviceExit} (called with it as its state) undoes.
     */
    Object resume(Object state);

    /** {@code task}, or a task that runs it with {@code state}'s context current. */
    Runnable wrap(Object state, Runnable task);

    /** A servlet container initialised a servlet or filter: the application is about to serve. */
    void containerStarted();
  }

  /** Per-thread call depth and the request that the outermost call on this thread started. */
  private static final class Frame {
    int depth;
    Object state;
  }

  private static final ThreadLocal<Frame> FRAME =
      new ThreadLocal<Frame>() {
        @Override
        protected Frame initialValue() {
          return new Frame();
        }
      };

  private static volatile Handler handler;
  private static volatile boolean containerSeen;
  private static volatile boolean mappingApiMissing;

  private ServletTelemetry() {}

  /** Called by the agent once the handler is ready. */
  public static void install(Handler newHandler) {
    handler = newHandler;
  }

  /** Whether the agent handles servlet requests; advice skips reading the request when not. */
  public static boolean active() {
    return handler != null;
  }

  /** Entering a woven {@code service}/{@code doFilter}: returns the depth, 1 for the outermost. */
  public static int enter() {
    try {
      return ++FRAME.get().depth;
    } catch (Throwable t) {
      return -1;
    }
  }

  /** Leaving a woven {@code service}/{@code doFilter}; pairs with every {@link #enter}. */
  public static void exit() {
    try {
      Frame frame = FRAME.get();
      if (frame.depth > 0) {
        frame.depth--;
      }
      if (frame.depth == 0) {
        // Whatever happened in between, nothing outlives the outermost call on this thread.
        frame.state = null;
      }
    } catch (Throwable ignored) {
      // Never reaches the application.
    }
  }

  /** See {@link Handler#start}; the state becomes this thread's current request. */
  public static Object start(
      String method,
      String scheme,
      String serverName,
      int serverPort,
      String clientAddress,
      String requestUri,
      String contextPath,
      String protocol,
      String userAgent,
      String traceparent,
      String tracestate,
      String servletPattern) {
    Handler h = handler;
    if (h == null) {
      return null;
    }
    try {
      Object state =
          h.start(
              method, scheme, serverName, serverPort, clientAddress, requestUri, contextPath,
              protocol, userAgent, traceparent, tracestate, servletPattern);
      FRAME.get().state = state;
      if (!containerSeen) {
        containerSeen = true; // serving requests: a container that initialised before we looked
      }
      return state;
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
      return null;
    }
  }

  /** A servlet's {@code service} runs; reported against this thread's current request. */
  public static void servletRan(String servletClassName) {
    Handler h = handler;
    if (h == null) {
      return;
    }
    try {
      Object state = FRAME.get().state;
      if (state != null) {
        h.servletRan(state, servletClassName);
      }
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
    }
  }

  /** See {@link Handler#serviceExit}. */
  public static void serviceExit(
      Object state, int status, boolean committed, Throwable thrown, Object frameworkPattern) {
    Handler h = handler;
    if (h == null || state == null) {
      return;
    }
    try {
      h.serviceExit(state, status, committed, thrown, frameworkPattern);
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
    }
  }

  /** See {@link Handler#handledError}. */
  public static void handledError(Object state, Object error) {
    Handler h = handler;
    if (h == null || state == null || error == null) {
      return;
    }
    try {
      h.handledError(state, error);
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
    }
  }

  /** This thread's current request, or null. */
  public static Object current() {
    try {
      return FRAME.get().state;
    } catch (Throwable t) {
      return null;
    }
  }

  /** See {@link Handler#asyncListener}. */
  public static Object asyncListener(Object state, Class<?> listenerInterface) {
    Handler h = handler;
    if (h == null || state == null || listenerInterface == null) {
      return null;
    }
    try {
      return h.asyncListener(state, listenerInterface);
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
      return null;
    }
  }

  /**
   * An async dispatch of a request whose state was kept in {@link #STATE_ATTRIBUTE} begins (the
   * outermost call of that dispatch): its context becomes current and it is this thread's
   * current request until the dispatch's {@link #serviceExit}.
   */
  public static Object resume(Object state) {
    Handler h = handler;
    if (h == null || state == null) {
      return null;
    }
    try {
      Object token = h.resume(state);
      FRAME.get().state = state;
      return token;
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
      return null;
    }
  }

  /** See {@link Handler#asyncListenerAdded}. */
  public static void asyncListenerAdded(Object state) {
    Handler h = handler;
    if (h == null || state == null) {
      return;
    }
    try {
      h.asyncListenerAdded(state);
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
    }
  }

  /** Whether {@code HttpServletRequest.getHttpServletMapping()} (Servlet 4) proved missing. */
  public static boolean mappingApiMissing() {
    return mappingApiMissing;
  }

  /** The container predates Servlet 4: stop asking it for the mapping. */
  public static void markMappingApiMissing() {
    mappingApiMissing = true;
  }

  /** {@code task} carrying this thread's current request context, for {@code AsyncContext.start}. */
  public static Runnable wrap(Runnable task) {
    Handler h = handler;
    if (h == null || task == null) {
      return task;
    }
    try {
      Object state = FRAME.get().state;
      if (state == null) {
        return task;
      }
      Runnable wrapped = h.wrap(state, task);
      return wrapped == null ? task : wrapped;
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
      return task;
    }
  }

  /**
   * Whether a servlet container initialised a servlet or filter, also before the agent installed
   * its handler (so that a container that started early is not missed).
   */
  public static boolean containerSeen() {
    return containerSeen;
  }

  public static void containerStarted() {
    containerSeen = true;
    Handler h = handler;
    if (h == null) {
      return;
    }
    try {
      h.containerStarted();
    } catch (Throwable t) {
      AdviceErrors.record(t, "servlet");
    }
  }
}
