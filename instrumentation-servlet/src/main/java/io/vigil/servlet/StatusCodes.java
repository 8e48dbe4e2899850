package io.vigil.servlet;

/** HTTP status codes as the span attribute's {@code Long}, boxed once for 100..599. */
final class StatusCodes {

  private static final Long[] BOXED = new Long[500];

  static {
    for (int i = 0; i < BOXED.length; i++) {
      BOXED[i] = (long) (i + 100);
    }
  }

  private StatusCodes() {}

  static Long boxed(int status) {
    return status >= 100 && status <= 599 ? BOXED[status - 100] : Long.valueOf(status);
  }
}
