package io.vigil.agent;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code Premain-Class} and {@code Agent-Class}. It touches only JDK classes until the
 * bootstrap facades are on the bootstrap class path: whatever loads them earlier would load them
 * from the wrong loader.
 */
public final class VigilAgent {

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private VigilAgent() {}

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, false);
  }

  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, true);
  }

  private static void start(String agentArgs, Instrumentation instrumentation, boolean lateAttach) {
    long startNanos = System.nanoTime();
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    try {
      BootstrapJar.appendTo(instrumentation);
      AgentStarter.start(agentArgs, instrumentation, startNanos, lateAttach);
    } catch (Throwable t) {
      // The agent's logging may be what failed; standard error is the one channel certain to work.
      System.err.println("[vigil] The Vigil agent failed to start (" + t + "); the application runs without it.");
    }
  }
}
