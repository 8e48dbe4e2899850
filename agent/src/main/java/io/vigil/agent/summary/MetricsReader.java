package io.vigil.agent.summary;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.errors.ErrorGroup;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.metrics.StatementTotals;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the cumulative values the metrics already keep: the HTTP histogram's buckets summed per
 * method and route, the pools' gauges and timeout counters and the span counters from the agent's
 * registry, the statement totals, and each held error group's count. It records nothing itself;
 * it runs on the summary thread once a minute and on each summary request.
 */
final class MetricsReader {

  static final String HTTP_BUCKET = "http_server_request_duration_seconds_bucket";

  private static final Set<String> SAMPLES = new HashSet<String>(Arrays.asList(
      HTTP_BUCKET,
      "vigil_agent_spans_exported_total",
      "vigil_agent_spans_dropped_total",
      "vigil_agent_export_failures_total",
      "db_client_connection_timeouts_total",
      "db_client_connection_count",
      "db_client_connection_max",
      "db_client_connection_pending_requests"));

  private final CollectorRegistry registry;
  private final StatementTotals statements;
  private final ErrorGroups errorGroups;

  MetricsReader(CollectorRegistry registry, StatementTotals statements, ErrorGroups errorGroups) {
    this.registry = registry;
    this.statements = statements;
    this.errorGroups = errorGroups;
  }

  Readings read() {
    Readings readings = new Readings();
    Enumeration<MetricFamilySamples> families = registry.filteredMetricFamilySamples(SAMPLES);
    while (families.hasMoreElements()) {
      for (Sample sample : families.nextElement().samples) {
        if (SAMPLES.contains(sample.name)) {
          sample(readings, sample);
        }
      }
    }
    for (StatementTotals.Statement statement : statements.all()) {
      long[] values = readings.of(Readings.STATEMENTS, statement);
      values[Readings.STATEMENT_COUNT] = statement.count();
      values[Readings.STATEMENT_ERRORS] = statement.errors();
      values[Readings.STATEMENT_NANOS] = statement.nanos();
    }
    for (ErrorGroup group : errorGroups.recent(0, Integer.MAX_VALUE)) {
      readings.of(Readings.ERROR_GROUPS, group.fingerprint())[0] = group.count();
    }
    return readings;
  }

  private static void sample(Readings readings, Sample sample) {
    long value = (long) sample.value;
    switch (sample.name) {
      case HTTP_BUCKET:
        httpBucket(readings, sample, value);
        break;
      case "vigil_agent_spans_exported_total":
        readings.agent[Readings.SPANS_EXPORTED] += value;
        break;
      case "vigil_agent_spans_dropped_total":
        readings.agent[Readings.SPANS_DROPPED] += value;
        break;
      case "vigil_agent_export_failures_total":
        readings.agent[Readings.EXPORT_FAILURES] += value;
        break;
      case "db_client_connection_timeouts_total":
        readings.of(Readings.POOLS, label(sample, "db_client_connection_pool_name"))[0] += value;
        break;
      case "db_client_connection_count":
        boolean used = "used".equals(label(sample, "db_client_connection_state"));
        pool(readings, sample)[used ? Readings.POOL_ACTIVE : Readings.POOL_IDLE] = value;
        break;
      case "db_client_connection_max":
        pool(readings, sample)[Readings.POOL_MAX] = value;
        break;
      default:
        pool(readings, sample)[Readings.POOL_PENDING] = value;
    }
  }

  /** Adds one child's bucket to its route: method and route, whatever the status. */
  private static void httpBucket(Readings readings, Sample sample, long value) {
    String le = label(sample, "le");
    int column = RouteColumns.bucketColumn("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
    if (column < 0) {
      return;
    }
    String key = routeKey(label(sample, "http_request_method"), label(sample, "http_route"));
    long[] row = readings.of(Readings.ROUTES, key);
    row[column] += value;
    if (column == RouteColumns.STRIDE - 1) {
      row[RouteColumns.REQUESTS] += value;
      String errorType = label(sample, "error_type");
      if (errorType != null && !errorType.isEmpty()) {
        row[RouteColumns.ERRORS] += value;
      }
    }
  }

  private static long[] pool(Readings readings, Sample sample) {
    String name = label(sample, "db_client_connection_pool_name");
    long[] gauges = readings.poolGauges.get(name);
    if (gauges == null) {
      gauges = new long[4];
      readings.poolGauges.put(name, gauges);
    }
    return gauges;
  }

  static String routeKey(String method, String route) {
    return method + '\0' + route;
  }

  static String method(Object routeKey) {
    String key = (String) routeKey;
    return key.substring(0, key.indexOf('\0'));
  }

  static String route(Object routeKey) {
    String key = (String) routeKey;
    return key.substring(key.indexOf('\0') + 1);
  }

  private static String label(Sample sample, String name) {
    List<String> names = sample.labelNames;
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(name)) {
        return sample.labelValues.get(i);
      }
    }
    return "";
  }
}
