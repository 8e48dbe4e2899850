package io.vigil.api.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The checks behind the health endpoints. Instrumentations add and remove checks as the things
 * they watch come and go (a pool opens, a pool closes).
 */
public final class HealthRegistry {

  private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();

  public void register(HealthCheck check) {
    checks.add(check);
  }

  public void unregister(HealthCheck check) {
    checks.remove(check);
  }

  /** A snapshot, in registration order. */
  public List<HealthCheck> checks() {
    return checks;
  }
}
