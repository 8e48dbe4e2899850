package io.vigil.agent.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.config.HealthDetails;
import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.health.HealthResult;
import org.junit.jupiter.api.Test;

class HealthHandlerTest {

  @Test
  void aThrowingCheckShowsItsExceptionClassButNeitherMessageNorStackTrace() {
    HealthRegistry registry = new HealthRegistry();
    registry.register(new HealthCheck() {
      @Override
      public String name() {
        return "hikari:orders";
      }

      @Override
      public Kind kind() {
        return Kind.READINESS;
      }

      @Override
      public HealthResult check() {
        throw new IllegalStateException("jdbc:postgresql://db/orders?password=s3cr3t");
      }
    });
    StringBuilder body = new StringBuilder();
    boolean up = new HealthHandler(registry, "1.0", "svc", System.nanoTime(), HealthDetails.ALWAYS).report(null, true, body);

    assertFalse(up);
    String json = body.toString();
    assertTrue(json.contains("\"reason\":\"check failed: java.lang.IllegalStateException\""), json);
    assertFalse(json.contains("s3cr3t"), json);
    assertFalse(json.contains("at io.vigil"), json);
  }
}
