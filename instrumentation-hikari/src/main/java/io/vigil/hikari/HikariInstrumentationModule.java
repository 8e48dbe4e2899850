package io.vigil.hikari;

import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/** The hikari instrumentation: HikariCP pool metrics and pool health. */
public final class HikariInstrumentationModule implements InstrumentationModule {

  @Override
  public String name() {
    return "hikari";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.emptyList();
  }

  @Override
  public void install(AgentContext context) {}
}
