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
   * checks, metrics). Called once, before any advice of this module can run.
   */
  void install(AgentContext context);
}
