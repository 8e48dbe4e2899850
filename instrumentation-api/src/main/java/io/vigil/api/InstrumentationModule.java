package io.vigil.api;

import java.util.List;

/**
 * One instrumentation (servlet, jdbc, hikari): the types it weaves and the telemetry it installs.
 * Found by {@link java.util.ServiceLoader}; switched off with {@code
 * instrumentation.<name>.enabled=false}.
 */
public interface InstrumentationModule {

  /** Short name: the config key segment and the {@code instrumentation} label value. */
  String name();

  /** The types this module weaves; each brings its own matchers and advice. */
  List<TypeInstrumentation> typeInstrumentations();

  /**
   * Installs what the advice calls at run time (the bootstrap facades' implementations, health
   * checks, metrics). Called once, after the weaving is in place: advice that runs earlier (a
   * late attach to a busy JVM) must find the facades' no-op defaults.
   */
  void install(AgentContext context);
}
