package io.vigil.agent.weave;

import io.vigil.api.Candidates;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import io.vigil.api.config.VigilConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The enabled modules and their type instrumentations, asked for once: premain needs their
 * candidates for the pre-filter, and the weaving built later needs their matchers and advice. A
 * module whose type instrumentations cannot be listed is left out and remembered, to be logged and
 * counted once the agent's metrics exist.
 */
public final class WeavingPlan {

  private final Map<InstrumentationModule, List<TypeInstrumentation>> types;
  private final Map<String, Throwable> failures;
  private final List<Candidates> candidates;

  private WeavingPlan(
      Map<InstrumentationModule, List<TypeInstrumentation>> types, Map<String, Throwable> failures,
      List<Candidates> candidates) {
    this.types = types;
    this.failures = failures;
    this.candidates = candidates;
  }

  public static WeavingPlan of(List<InstrumentationModule> modules, VigilConfig config) {
    Map<InstrumentationModule, List<TypeInstrumentation>> types = new LinkedHashMap<>();
    Map<String, Throwable> failures = new LinkedHashMap<>();
    List<Candidates> candidates = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      String name = module.name();
      if (!config.instrumentationEnabled(name)) {
        continue;
      }
      try {
        List<TypeInstrumentation> moduleTypes = new ArrayList<>(module.typeInstrumentations());
        List<Candidates> moduleCandidates = new ArrayList<>();
        for (TypeInstrumentation type : moduleTypes) {
          moduleCandidates.add(type.candidates());
        }
        types.put(module, moduleTypes);
        candidates.addAll(moduleCandidates);
      } catch (Throwable t) {
        failures.put(name, t);
      }
    }
    return new WeavingPlan(types, failures, candidates);
  }

  Map<InstrumentationModule, List<TypeInstrumentation>> types() {
    return types;
  }

  /** Modules whose type instrumentations could not be listed, by name. */
  Map<String, Throwable> failures() {
    return Collections.unmodifiableMap(failures);
  }

  /** What every planned type instrumentation can match at most, for the pre-filter. */
  List<Candidates> candidates() {
    return candidates;
  }
}
