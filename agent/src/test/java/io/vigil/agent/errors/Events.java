package io.vigil.agent.errors;

import io.vigil.api.errors.ErrorEvent;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.errors.ErrorSink;
import io.vigil.api.errors.ErrorTracking;
import java.util.ArrayList;
import java.util.List;

/** Real error events, captured the way the instrumentations capture them. */
final class Events {

  static final long NOW = 1_764_680_000_000L;

  private final List<ErrorEvent> captured = new ArrayList<>();
  private final ErrorTracking tracking =
      new ErrorTracking(
          new ErrorGroups(100, ErrorGroups.Listener.NONE),
          new ErrorSink() {
            @Override
            public void accept(ErrorEvent event, boolean newGroup) {
              captured.add(event);
            }
          },
          "2.4.0",
          () -> NOW);

  ErrorEvent servlet(Throwable error, String route, String traceId, String spanId) {
    tracking.servletError(error, route, traceId, spanId);
    return captured.get(captured.size() - 1);
  }

  ErrorEvent jdbc(Throwable error, String traceId, String spanId) {
    tracking.jdbcError(error, traceId, spanId);
    return captured.get(captured.size() - 1);
  }

  static <T extends Throwable> T at(T error, String... frames) {
    StackTraceElement[] stack = new StackTraceElement[frames.length];
    for (int i = 0; i < frames.length; i++) {
      String[] parts = frames[i].split(":");
      int dot = parts[0].lastIndexOf('.');
      String className = parts[0].substring(0, dot);
      stack[i] = new StackTraceElement(className, parts[0].substring(dot + 1),
          className.substring(className.lastIndexOf('.') + 1) + ".java", Integer.parseInt(parts[1]));
    }
    error.setStackTrace(stack);
    return error;
  }
}
