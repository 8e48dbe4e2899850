package io.vigil.api.health;

/**
 * One named check shown on {@code /health}. Readiness checks also decide {@code /health/ready};
 * liveness checks decide {@code /health/live}. Checks run on the exporter's HTTP thread when
 * a probe asks, so they must be quick and must not block on the application.
 */
public interface HealthCheck {

  enum Kind {
    LIVENESS,
    READINESS
  }

  String name();

  Kind kind();

  HealthResult check();
}
