package io.vigil.agent;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code Premain-Class} and {@code Agent-Class}. It touches only JDK classes until the
 * bootstrap facades are in the bootstrap class loader: whatever loads them earlier would load them
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

  /**
   * Byte Buddy probes {@code sun.misc.Unsafe} while it sets up, which JDK 24 and later answer with
   * a four-line warning on every start. Byte Buddy injects no classes for the agent (the
   * facades are defined by {@link BootDefiner}), so it needs none of it.
   * The shade plugin relocates this string along with Byte Buddy's own constant, so the property
   * reaches only the agent's copy, never an application's Byte Buddy.
   */
  private static void keepByteBuddyOffUnsafe() {
    if (System.getProperty("net.bytebuddy.safe") == null) {
      System.setProperty("net.bytebuddy.safe", "true");
    }
  }

  private static void start(String agentArgs, Instrumentation instrumentation, boolean lateAttach) {
    long startNanos = System.nanoTime();
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    try {
      keepByteBuddyOffUnsafe();
      String facades = BootstrapClasses.install(instrumentation);
      AgentStarter.start(agentArgs, instrumentation, startNanos, lateAttach, facades);
    } catch (Throwable t) {
      // The agent's logging may be what failed; standard error is the one channel certain to work.
      // An IOException carries a message written for the user; anything else says what it was.
      String reason = t instanceof java.io.IOException && t.getMessage() != null ? t.getMessage() : t.toString();
      System.err.println("[vigil] The Vigil agent is off: " + reason + ". The application runs without it.");
    }
  }
}
