package io.vigil.agent.summary;

import io.vigil.agent.http.Json;
import io.vigil.api.errors.ErrorGroup;
import io.vigil.api.metrics.StatementTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /api/summary} document (docs/summary-api.md): durations in seconds, times as ISO-8601
 * UTC, ratios 0..1, and null (never NaN) for a figure the window has no data for.
 */
public final class SummaryJson {

  /** Error groups listed at most. */
  static final int MAX_RECENT_GROUPS = 20;

  private SummaryJson() {}

  /** What the summary says beside the ring's figures. */
  public static final class Context {
    final String service;
    final String version;
    final long agentStartMillis;
    final Json.Raw health;
    final List<ErrorGroup> groupsInWindow;
    final int groupsHeld;
    final boolean exportEnabled;
    final String lastExportFailure;

    /**
     * @param health what {@code /health} answers the same caller
     * @param groupsInWindow the error groups last seen in the window, most recent first
     */
    public Context(String service, String version, long agentStartMillis, Json.Raw health,
        List<ErrorGroup> groupsInWindow, int groupsHeld, boolean exportEnabled, String lastExportFailure) {
      this.service = service;
      this.version = version;
      this.agentStartMillis = agentStartMillis;
      this.health = health;
      this.groupsInWindow = groupsInWindow;
      this.groupsHeld = groupsHeld;
      this.exportEnabled = exportEnabled;
      this.lastExportFailure = lastExportFailure;
    }
  }

  public static String write(SummaryService.Summary summary, Context context) {
    double covered = summary.coveredMillis / 1000.0;
    Map<String, Object> document = new LinkedHashMap<String, Object>();
    document.put("service", context.service);
    document.put("version", context.version);
    document.put("generatedAt", time(summary.nowMillis));
    document.put("window", summary.window.text());
    document.put("windowSeconds", summary.window.seconds());
    document.put("coveredSeconds", round(covered));
    document.put("resolutionSeconds", summary.window.resolutionSeconds());
    document.put("health", context.health);
    document.put("totals", traffic(summary.sums.totals, covered));
    document.put("timeline", timeline(summary, context.agentStartMillis));
    document.put("routes", routes(summary.sums.series[Readings.ROUTES], covered));
    document.put("statements", statements(summary.sums.series[Readings.STATEMENTS]));
    document.put("pools", pools(summary));
    document.put("errors", errors(summary, context));
    document.put("export", export(summary.sums.totals, context));
    StringBuilder out = new StringBuilder(4096);
    Json.object(out, document);
    return out.append('\n').toString();
  }

  /** Requests, errors, their ratio and the percentiles of one route row (or the totals). */
  private static Map<String, Object> traffic(long[] row, double covered) {
    long requests = row[RouteColumns.REQUESTS];
    long errors = row[RouteColumns.ERRORS];
    Map<String, Object> json = new LinkedHashMap<String, Object>();
    json.put("requests", requests);
    json.put("ratePerSecond", covered > 0 ? round(requests / covered) : null);
    json.put("errors", errors);
    json.put("errorRatio", requests > 0 ? round((double) errors / requests) : null);
    json.put("p50Seconds", round(RouteColumns.quantile(0.50, row)));
    json.put("p95Seconds", round(RouteColumns.quantile(0.95, row)));
    json.put("p99Seconds", round(RouteColumns.quantile(0.99, row)));
    return json;
  }

  private static List<Object> timeline(SummaryService.Summary summary, long agentStartMillis) {
    List<Object> points = new ArrayList<Object>();
    for (WindowSums.Point point : summary.sums.timeline) {
      long start = point.firstMinute * 60_000L;
      long end = Math.min(start + point.minutes * 60_000L, summary.nowMillis);
      long from = Math.max(start, agentStartMillis);
      if (end <= from) {
        continue;
      }
      Map<String, Object> json = new LinkedHashMap<String, Object>();
      json.put("start", time(start));
      json.put("seconds", round((end - from) / 1000.0));
      json.put("requests", point.totals[RouteColumns.REQUESTS]);
      json.put("errors", point.totals[RouteColumns.ERRORS]);
      json.put("p95Seconds", round(RouteColumns.quantile(0.95, point.totals)));
      points.add(json);
    }
    return points;
  }

  private static List<Object> routes(Map<Object, long[]> routes, double covered) {
    List<Map.Entry<Object, long[]>> busiest = new ArrayList<Map.Entry<Object, long[]>>(routes.entrySet());
    Collections.sort(busiest, new Comparator<Map.Entry<Object, long[]>>() {
      @Override
      public int compare(Map.Entry<Object, long[]> a, Map.Entry<Object, long[]> b) {
        int byRequests = Long.compare(b.getValue()[RouteColumns.REQUESTS], a.getValue()[RouteColumns.REQUESTS]);
        return byRequests != 0 ? byRequests : ((String) a.getKey()).compareTo((String) b.getKey());
      }
    });
    List<Object> rows = new ArrayList<Object>(busiest.size());
    for (Map.Entry<Object, long[]> route : busiest) {
      if (route.getValue()[RouteColumns.REQUESTS] == 0) {
        continue;
      }
      Map<String, Object> json = new LinkedHashMap<String, Object>();
      json.put("method", MetricsReader.method(route.getKey()));
      json.put("route", MetricsReader.route(route.getKey()));
      json.putAll(traffic(route.getValue(), covered));
      rows.add(json);
    }
    return rows;
  }

  private static List<Object> statements(Map<Object, long[]> statements) {
    List<Map.Entry<Object, long[]>> slowest = new ArrayList<Map.Entry<Object, long[]>>(statements.entrySet());
    Collections.sort(slowest, new Comparator<Map.Entry<Object, long[]>>() {
      @Override
      public int compare(Map.Entry<Object, long[]> a, Map.Entry<Object, long[]> b) {
        int byTime = Long.compare(b.getValue()[Readings.STATEMENT_NANOS], a.getValue()[Readings.STATEMENT_NANOS]);
        return byTime != 0
            ? byTime
            : Long.compare(b.getValue()[Readings.STATEMENT_COUNT], a.getValue()[Readings.STATEMENT_COUNT]);
      }
    });
    List<Object> rows = new ArrayList<Object>(slowest.size());
    for (Map.Entry<Object, long[]> entry : slowest) {
      StatementTotals.Statement statement = (StatementTotals.Statement) entry.getKey();
      long[] values = entry.getValue();
      long count = values[Readings.STATEMENT_COUNT];
      if (count == 0) {
        continue;
      }
      double seconds = values[Readings.STATEMENT_NANOS] / 1e9;
      Map<String, Object> json = new LinkedHashMap<String, Object>();
      json.put("statement", statement.text());
      json.put("system", statement.system());
      json.put("operation", statement.operation());
      json.put("collection", statement.collection());
      json.put("count", count);
      json.put("errors", values[Readings.STATEMENT_ERRORS]);
      json.put("totalSeconds", round(seconds));
      json.put("meanSeconds", round(seconds / count));
      rows.add(json);
    }
    return rows;
  }

  private static List<Object> pools(SummaryService.Summary summary) {
    Map<Object, long[]> timeouts = summary.sums.series[Readings.POOLS];
    List<String> names = new ArrayList<String>(summary.poolGauges.keySet());
    for (Object pool : timeouts.keySet()) {
      if (!summary.poolGauges.containsKey(pool)) {
        names.add((String) pool);
      }
    }
    Collections.sort(names);
    List<Object> rows = new ArrayList<Object>(names.size());
    for (String name : names) {
      long[] gauges = summary.poolGauges.get(name);
      long[] timedOut = timeouts.get(name);
      Map<String, Object> json = new LinkedHashMap<String, Object>();
      json.put("pool", name);
      json.put("active", gauges == null ? null : gauges[Readings.POOL_ACTIVE]);
      json.put("idle", gauges == null ? null : gauges[Readings.POOL_IDLE]);
      json.put("pending", gauges == null ? null : gauges[Readings.POOL_PENDING]);
      json.put("max", gauges == null ? null : gauges[Readings.POOL_MAX]);
      json.put("timeouts", timedOut == null ? 0L : timedOut[0]);
      rows.add(json);
    }
    return rows;
  }

  private static Map<String, Object> errors(SummaryService.Summary summary, Context context) {
    Map<Object, long[]> counts = summary.sums.series[Readings.ERROR_GROUPS];
    int newInWindow = 0;
    List<Object> recent = new ArrayList<Object>();
    for (ErrorGroup group : context.groupsInWindow) {
      boolean isNew = group.firstSeenMillis() >= summary.windowStartMillis;
      if (isNew) {
        newInWindow++;
      }
      if (recent.size() == MAX_RECENT_GROUPS) {
        continue;
      }
      long[] inWindow = counts.get(group.fingerprint());
      Map<String, Object> json = new LinkedHashMap<String, Object>();
      json.put("fingerprint", group.fingerprint());
      json.put("type", group.type());
      json.put("message", group.messageTemplate());
      json.put("source", group.source());
      json.put("count", group.count());
      json.put("countInWindow", inWindow == null ? 0L : inWindow[0]);
      json.put("firstSeen", time(group.firstSeenMillis()));
      json.put("lastSeen", time(group.lastSeenMillis()));
      json.put("new", isNew);
      json.put("routes", group.routes());
      json.put("lastTraceId", group.lastTraceId());
      recent.add(json);
    }
    Map<String, Object> json = new LinkedHashMap<String, Object>();
    json.put("groups", context.groupsHeld);
    json.put("newInWindow", newInWindow);
    json.put("recent", recent);
    return json;
  }

  private static Map<String, Object> export(long[] totals, Context context) {
    Map<String, Object> json = new LinkedHashMap<String, Object>();
    json.put("enabled", context.exportEnabled);
    json.put("spansExported", totals[RouteColumns.STRIDE + Readings.SPANS_EXPORTED]);
    json.put("spansDropped", totals[RouteColumns.STRIDE + Readings.SPANS_DROPPED]);
    json.put("exportFailures", totals[RouteColumns.STRIDE + Readings.EXPORT_FAILURES]);
    json.put("lastFailure", context.lastExportFailure);
    return json;
  }

  private static String time(long millis) {
    return Instant.ofEpochSecond(Math.floorDiv(millis, 1000L)).toString();
  }

  /** Six decimals: microseconds for durations, and no {@code 0.30000000000000004}. */
  static Double round(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    return Math.round(value * 1e6) / 1e6;
  }
}
