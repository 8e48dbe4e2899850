package io.vigil.api.errors;

/** Where captured errors go besides the in-memory groups (Sentry). Must never block. */
public interface ErrorSink {

  /** {@code newGroup}: the event opened its group. */
  void accept(ErrorEvent event, boolean newGroup);

  ErrorSink NONE =
      new ErrorSink() {
        @Override
        public void accept(ErrorEvent event, boolean newGroup) {}
      };
}
