package io.vigil.servlet;

import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/** The servlet instrumentation: javax.servlet and jakarta.servlet request timing, routes and server spans. */
public final class ServletInstrumentationModule implements InstrumentationModule {

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.emptyList();
  }

  @Override
  public void install(AgentContext context) {}
}
