package io.vigil.servlet;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

/**
 * Puts {@code trace_id} and {@code span_id} into the application's logging context while a request
 * runs: SLF4J's {@code org.slf4j.MDC} (whatever binding the application uses) and Log4j 2's {@code
 * org.apache.logging.log4j.ThreadContext}, each when the application's class loader can see it.
 * Both are the application's classes, found reflectively through the thread context class loader
 * (the web application's loader while a container serves a request); the agent's own shaded
 * SLF4J is never involved.
 *
 * <p>The lookup is cached for the last loader seen, in one volatile field: lock-free, and a
 * single-application JVM looks its MDC up once. The cached entry holds the loader weakly but its
 * methods strongly, so it keeps at most one (the last) web application's logging classes loaded
 * after undeployment, until another loader serves a request.
 */
final class MdcBridge {

  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  // Built at run time: the agent jar's shading rewrites string constants that start with
  // "org.slf4j" to its own relocated copy, and it is the application's SLF4J that is wanted here.
  private static final String SLF4J_MDC = String.join(".", "org", "slf4j", "MDC");

  private static final Binding NONE = new Binding(null, null, null, null, null);

  private volatile Binding last = NONE;

  /** The logging contexts of the current thread's application; never null. */
  Binding current() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    Binding cached = last;
    if (cached.loader != null && cached.loader.get() == loader) {
      return cached;
    }
    Binding found = lookUp(loader);
    last = found;
    return found;
  }

  private static Binding lookUp(ClassLoader loader) {
    Method slf4jPut = null;
    Method slf4jRemove = null;
    Method log4jPut = null;
    Method log4jRemove = null;
    try {
      Class<?> mdc = Class.forName(SLF4J_MDC, true, loader);
      slf4jPut = mdc.getMethod("put", String.class, String.class);
      slf4jRemove = mdc.getMethod("remove", String.class);
    } catch (Throwable absent) {
      // The application does not log through SLF4J.
    }
    try {
      Class<?> context = Class.forName("org.apache.logging.log4j.ThreadContext", true, loader);
      log4jPut = context.getMethod("put", String.class, String.class);
      log4jRemove = context.getMethod("remove", String.class);
    } catch (Throwable absent) {
      // No Log4j 2 API.
    }
    return new Binding(new WeakReference<ClassLoader>(loader), slf4jPut, slf4jRemove, log4jPut, log4jRemove);
  }

  /** One application's logging contexts. */
  static final class Binding {
    final WeakReference<ClassLoader> loader;
    private final Method slf4jPut;
    private final Method slf4jRemove;
    private final Method log4jPut;
    private final Method log4jRemove;

    Binding(
        WeakReference<ClassLoader> loader,
        Method slf4jPut,
        Method slf4jRemove,
        Method log4jPut,
        Method log4jRemove) {
      this.loader = loader;
      this.slf4jPut = slf4jPut;
      this.slf4jRemove = slf4jRemove;
      this.log4jPut = log4jPut;
      this.log4jRemove = log4jRemove;
    }

    boolean isEmpty() {
      return slf4jPut == null && log4jPut == null;
    }

    void put(String traceId, String spanId) {
      invoke(slf4jPut, TRACE_ID, traceId);
      invoke(slf4jPut, SPAN_ID, spanId);
      invoke(log4jPut, TRACE_ID, traceId);
      invoke(log4jPut, SPAN_ID, spanId);
    }

    void remove() {
      invoke(slf4jRemove, TRACE_ID, null);
      invoke(slf4jRemove, SPAN_ID, null);
      invoke(log4jRemove, TRACE_ID, null);
      invoke(log4jRemove, SPAN_ID, null);
    }

    private static void invoke(Method method, String key, String value) {
      if (method == null) {
        return;
      }
      try {
        if (value == null) {
          method.invoke(null, key);
        } else {
          method.invoke(null, key, value);
        }
      } catch (Throwable ignored) {
        // A logging backend that refuses the value must not fail the request.
      }
    }
  }
}
