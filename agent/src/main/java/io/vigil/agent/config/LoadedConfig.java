package io.vigil.agent.config;

import io.vigil.api.config.VigilConfig;
import java.util.Collections;
import java.util.List;

/** The resolved settings and the warnings that resolving them produced, to log once at start. */
public final class LoadedConfig {

  private final VigilConfig config;
  private final List<String> warnings;

  LoadedConfig(VigilConfig config, List<String> warnings) {
    this.config = config;
    this.warnings = Collections.unmodifiableList(warnings);
  }

  public VigilConfig config() {
    return config;
  }

  public List<String> warnings() {
    return warnings;
  }
}
