package io.vigil.servlet;

/**
 * The exception an operator wants to see for a failed request. Frameworks hand the container
 * their handler's exception wrapped in a plain {@code ServletException} (Spring MVC's
 * DispatcherServlet does for every controller exception), which would make every failure look
 * alike in {@code error_type}; the wrapped cause is what went wrong.
 */
final class ServletErrorCause {

  /** Wrapper chains are short; the bound only guards against cause cycles. */
  private static final int MAX_UNWRAP = 8;

  private ServletErrorCause() {}

  static Throwable of(Throwable error) {
    Throwable current = error;
    for (int i = 0; i < MAX_UNWRAP && isPlainServletException(current); i++) {
      Throwable cause = current.getCause();
      if (cause == null || cause == current) {
        break;
      }
      current = cause;
    }
    return current;
  }

  /** Exactly the wrapper class: its subclasses (UnavailableException) mean something themselves. */
  private static boolean isPlainServletException(Throwable error) {
    String name = error.getClass().getName();
    return name.equals("jakarta.servlet.ServletException") || name.equals("javax.servlet.ServletException");
  }
}
