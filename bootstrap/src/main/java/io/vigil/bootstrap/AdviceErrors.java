package io.vigil.bootstrap;

/**
 * Where woven advice reports a {@link Throwable} it suppressed instead of letting it reach the
 * application. Byte Buddy's exception handler of every advice calls {@link #record}; the agent
 * installs the {@link Sink} that counts and logs it.
 *
 * <p>Lives on the bootstrap class path so that advice inlined into classes of any class loader can
 * call it. It never throws.
 */
public final class AdviceErrors {

  /** Receives suppressed advice errors. Implementations must be thread-safe and must not throw. */
  public interface Sink {
    void record(String instrumentation, Throwable error);
  }

  private static final Sink DISCARD =
      new Sink() {
        @Override
        public void record(String instrumentation, Throwable error) {}
      };

  private static volatile Sink sink = DISCARD;

  private AdviceErrors() {}

  /** Called by the agent at start. */
  public static void install(Sink newSink) {
    sink = newSink == null ? DISCARD : newSink;
  }

  /**
   * Called by woven code. The parameter order follows the operand stack at the handler: the
   * throwable is already there when the instrumentation name is pushed.
   */
  public static void record(Throwable error, String instrumentation) {
    try {
      sink.record(instrumentation, error);
    } catch (Throwable ignored) {
      // The sink is agent code; whatever it does wrong must not reach the application.
    }
  }
}
