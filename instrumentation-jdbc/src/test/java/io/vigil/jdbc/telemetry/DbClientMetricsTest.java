package io.vigil.jdbc.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.LabelCap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbClientMetricsTest {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final DbClientMetrics metrics = new DbClientMetrics(registry, new AgentMetrics(registry, "test", "svc", List.of("jdbc")));

  @Test
  void childrenAreResolvedOncePerLabelSetAndNullsAreEmpty() {
    assertSame(metrics.child("h2database", "SELECT", "users", ""), metrics.child("h2database", "SELECT", "users", null));
    metrics.child("h2database", null, null, null).observe(0.002);
    assertEquals(1.0, registry.getSampleValue(DbClientMetrics.NAME + "_count",
        new String[] {"db_system_name", "db_operation_name", "db_collection_name", "error_type"},
        new String[] {"h2database", "", "", ""}));
  }

  @Test
  void usesTheDesignBuckets() {
    metrics.child("h2database", "SELECT", "t", "").observe(0.003);
    List<Double> bounds = new ArrayList<>();
    for (Collector.MetricFamilySamples family : java.util.Collections.list(registry.metricFamilySamples())) {
      for (Collector.MetricFamilySamples.Sample sample : family.samples) {
        if (sample.name.endsWith("_bucket")) {
          String le = sample.labelValues.get(sample.labelNames.indexOf("le"));
          bounds.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
        }
      }
    }
    double[] expected = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};
    assertArrayEquals(expected, bounds.stream().mapToDouble(Double::doubleValue).toArray());
  }

  @Test
  void labelSetsAreBoundedByFoldingNewCollections() {
    // 4 operations x 600 tables: within the collection cap, past the cap on label sets.
    for (String op : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
      for (int i = 0; i < 600; i++) {
        metrics.child("postgresql", op, "table_" + i, "").observe(0.001);
      }
    }
    assertEquals(DbClientMetrics.MAX_LABEL_SETS + 1, metrics.labelSets());
    assertEquals(400.0, count("DELETE", DbClientMetrics.OVERFLOW_COLLECTION, ""));
  }

  @Test
  void eachLabelFromTheApplicationIsCappedAndCounted() {
    int tables = AgentMetrics.MAX_DB_COLLECTION_NAMES + 300;
    for (int i = 0; i < tables; i++) {
      metrics.child("postgresql", "SELECT", "t" + i, "").observe(0.001);
    }
    for (int i = 0; i < AgentMetrics.MAX_ERROR_TYPES + 20; i++) {
      metrics.child("postgresql", "SELECT", "t0", "com.example.Generated" + i + "Exception").observe(0.001);
    }
    // SELECT took one operation slot already.
    for (int i = 0; i < AgentMetrics.MAX_DB_OPERATION_NAMES - 1 + 5; i++) {
      metrics.child("postgresql", "OP" + i, "", "").observe(0.001);
    }
    assertEquals(300.0, count("SELECT", LabelCap.OVERFLOW, ""));
    assertEquals(300.0, overflow("db_collection_name"));
    assertEquals(20.0, count("SELECT", "t0", LabelCap.OVERFLOW));
    assertEquals(20.0, overflow("error_type"));
    assertEquals(5.0, count(LabelCap.OVERFLOW, "", ""));
    assertEquals(5.0, overflow("db_operation_name"));
  }

  @Test
  void longValuesAreCut() {
    String table = "t".repeat(5000);
    metrics.child("postgresql", "SELECT", table, "").observe(0.001);
    assertEquals(1.0, count("SELECT", table.substring(0, AgentMetrics.MAX_LABEL_LENGTH), ""));
  }

  private Double count(String operation, String collection, String errorType) {
    return registry.getSampleValue(DbClientMetrics.NAME + "_count",
        new String[] {"db_system_name", "db_operation_name", "db_collection_name", "error_type"},
        new String[] {"postgresql", operation, collection, errorType});
  }

  private Double overflow(String label) {
    return registry.getSampleValue("vigil_agent_label_overflow_total", new String[] {"label"}, new String[] {label});
  }
}
