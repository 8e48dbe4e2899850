package io.vigil.jdbc;

import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/** The jdbc instrumentation: JDBC statement timing, SQL sanitizing and client spans. */
public final class JdbcInstrumentationModule implements InstrumentationModule {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.emptyList();
  }

  @Override
  public void install(AgentContext context) {}
}
