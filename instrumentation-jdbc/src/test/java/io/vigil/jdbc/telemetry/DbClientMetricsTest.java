package io.vigil.jdbc.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbClientMetricsTest {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final DbClientMetrics metrics = new DbClientMetrics(registry);

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
    for (int i = 0; i < DbClientMetrics.MAX_LABEL_SETS + 500; i++) {
      metrics.child("postgresql", "SELECT", "table_" + i, "").observe(0.001);
    }
    assertEquals(DbClientMetrics.MAX_LABEL_SETS + 1, metrics.labelSets());
    assertEquals(500.0, registry.getSampleValue(DbClientMetrics.NAME + "_count",
        new String[] {"db_system_name", "db_operation_name", "db_collection_name", "error_type"},
        new String[] {"postgresql", "SELECT", DbClientMetrics.OVERFLOW_COLLECTION, ""}));
  }
}
