package io.vigil.servlet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;

/**
 * Puts {@code trace_id} and {@code span_id} into the application's logging context while a request
 * runs: SLF4J's {@code org.slf4j.MDC} (whatever binding the application uses) and Log4j 2's {@code
 * org.apache.logging.log4j.ThreadContext}, each when the application's class loader can see it.
 * Both are the application's classes, found reflectively through the thread context class loader
 * (the web application's loader while a container serves a request); the agent's own shaded
 * SLF4J is never involved.
 *
 * <p>The lookup is cached for the last loader seen, in one volatile field: lock-free and
 * allocation-free while the same application serves. The cache holds its entry only weakly: the
 * entry's method handles reach the application's logging classes, so a strong cache would keep the
 * last undeployed web application's class loader, and all its classes, loaded for as long as no
 * other application served a request. An entry is strongly held only by the requests that use it;
 * after a garbage collection the next request looks the loader up again, which costs a few
 * microseconds. The methods are called through method handles of exact type: unlike {@code
 * Method.invoke}, no argument array per call.
 */
final class MdcBridge {

  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  // Built at run time: the agent jar's shading rewrites string constants that start with
  // "org.slf4j" to its own relocated copy, and it is the application's SLF4J that is wanted here.
  private static final String SLF4J_MDC = String.join(".", "org", "slf4j", "MDC");

  private static final Binding NONE = new Binding(null, null, null, null, null);

  private volatile WeakReference<Binding> last = new WeakReference<>(NONE);

  /** The logging contexts of the current thread's application; never null. */
  Binding current() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    Binding cached = last.get();
    if (cached != null && cached.loader != null && cached.loader.get() == loader) {
      return cached;
    }
    Binding found = lookUp(loader);
    last = new WeakReference<>(found);
    return found;
  }

  private static final MethodType PUT = MethodType.methodType(void.class, String.class, String.class);
  private static final MethodType REMOVE = MethodType.methodType(void.class, String.class);

  private static Binding lookUp(ClassLoader loader) {
    MethodHandle slf4jPut = null;
    MethodHandle slf4jRemove = null;
    MethodHandle log4jPut = null;
    MethodHandle log4jRemove = null;
    try {
      Class<?> mdc = Class.forName(SLF4J_MDC, true, loader);
      slf4jPut = handle(mdc, "put", PUT);
      slf4jRemove = handle(mdc, "remove", REMOVE);
    } catch (Throwable absent) {
      // The application does not log through SLF4J.
    }
    try {
      Class<?> context = Class.forName("org.apache.logging.log4j.ThreadContext", true, loader);
      log4jPut = handle(context, "put", PUT);
      log4jRemove = handle(context, "remove", REMOVE);
    } catch (Throwable absent) {
      // No Log4j 2 API.
    }
    return new Binding(new WeakReference<ClassLoader>(loader), slf4jPut, slf4jRemove, log4jPut, log4jRemove);
  }

  /** The public static method, as a handle of exactly {@code type} (a return value is dropped). */
  private static MethodHandle handle(Class<?> owner, String name, MethodType type) throws ReflectiveOperationException {
    return MethodHandles.publicLookup()
        .unreflect(owner.getMethod(name, type.parameterArray()))
        .asType(type);
  }

  /** One application's logging contexts. */
  static final class Binding {
    final WeakReference<ClassLoader> loader;
    private final MethodHandle slf4jPut;
    private final MethodHandle slf4jRemove;
    private final MethodHandle log4jPut;
    private final MethodHandle log4jRemove;

    Binding(
        WeakReference<ClassLoader> loader,
        MethodHandle slf4jPut,
        MethodHandle slf4jRemove,
        MethodHandle log4jPut,
        MethodHandle log4jRemove) {
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
      put(slf4jPut, TRACE_ID, traceId);
      put(slf4jPut, SPAN_ID, spanId);
      put(log4jPut, TRACE_ID, traceId);
      put(log4jPut, SPAN_ID, spanId);
    }

    void remove() {
      remove(slf4jRemove, TRACE_ID);
      remove(slf4jRemove, SPAN_ID);
      remove(log4jRemove, TRACE_ID);
      remove(log4jRemove, SPAN_ID);
    }

    // A logging backend that refuses a value must not fail the request: its throwables stay here.

    private static void put(MethodHandle put, String key, String value) {
      if (put != null) {
        try {
          put.invokeExact(key, value);
        } catch (Throwable ignored) {
          // See above.
        }
      }
    }

    private static void remove(MethodHandle remove, String key) {
      if (remove != null) {
        try {
          remove.invokeExact(key);
        } catch (Throwable ignored) {
          // See above.
        }
      }
    }
  }
}
