package io.vigil.servlet;

import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.health.HealthResult;
import io.vigil.bootstrap.ServletTelemetry;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The readiness check {@code application}: down from the moment the application is known to run a
 * servlet container (a servlet or filter class was woven) until the container initialises a
 * servlet or filter or serves a first request. An application without a servlet container never
 * registers it, so it stays ready by its other checks alone.
 */
final class ApplicationReadiness implements HealthCheck {

  private final AtomicBoolean registered = new AtomicBoolean();
  private volatile HealthRegistry registry;
  private volatile boolean servletTypeSeen;

  /** A servlet or filter type was matched; registers the check once the registry is known. */
  void servletTypeSeen() {
    if (servletTypeSeen) {
      return;
    }
    servletTypeSeen = true;
    registerIfNeeded();
  }

  void install(HealthRegistry health) {
    registry = health;
    registerIfNeeded();
  }

  private void registerIfNeeded() {
    HealthRegistry health = registry;
    if (health != null && servletTypeSeen && registered.compareAndSet(false, true)) {
      health.register(this);
    }
  }

  @Override
  public String name() {
    return "application";
  }

  @Override
  public Kind kind() {
    return Kind.READINESS;
  }

  @Override
  public HealthResult check() {
    if (ServletTelemetry.containerSeen()) {
      return HealthResult.up(Collections.<String, Object>singletonMap("servlet_container", "initialised"));
    }
    return HealthResult.down(
        "the servlet container has not initialised a servlet or filter yet",
        Collections.<String, Object>singletonMap("servlet_container", "starting"));
  }
}
