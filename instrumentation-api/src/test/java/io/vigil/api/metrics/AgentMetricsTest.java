package io.vigil.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.client.CollectorRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry, "1.0", "svc", List.of("servlet"));

  @Test
  void everyCappedLabelHasAnOverflowCounterAtZeroFromTheStart() {
    for (String label : List.of("http_route", "exception_type", "error_type", "db_operation_name",
        "db_collection_name", "db_client_connection_pool_name")) {
      assertEquals(0.0, overflow(label), label);
    }
  }

  @Test
  void exceptionTypesAreCapped() {
    int types = AgentMetrics.MAX_EXCEPTION_TYPES + 50;
    for (int i = 0; i < types; i++) {
      metrics.exception("com.example.Generated" + i + "Exception", "servlet");
    }
    assertEquals(50.0, exceptions(LabelCap.OVERFLOW));
    assertEquals(1.0, exceptions("com.example.Generated0Exception"));
    assertEquals(50.0, overflow("exception_type"));
  }

  private Double overflow(String label) {
    return registry.getSampleValue("vigil_agent_label_overflow_total", new String[] {"label"}, new String[] {label});
  }

  private Double exceptions(String type) {
    return registry.getSampleValue("vigil_exceptions_total", new String[] {"exception_type", "source"},
        new String[] {type, "servlet"});
  }
}
