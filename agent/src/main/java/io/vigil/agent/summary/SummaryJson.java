package io.vigil.agent.summary;

import io.vigil.agent.http.Json;
import io.vigil.api.errors.ErrorGroup;
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
    document.put("statements", SectionsJson.statements(summary.sums.series[Readings.STATEMENTS]));
    document.put("pools", SectionsJson.pools(summary));
    document.put("errors", SectionsJson.errors(summary, context));
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

  private static Map<String, Object> export(long[] totals, Context context) {
    Map<String, Object> json = new LinkedHashMap<String, Object>();
    json.put("enabled", context.exportEnabled);
    json.put("spansExported", totals[RouteColumns.STRIDE + Readings.SPANS_EXPORTED]);
    json.put("spansDropped", totals[RouteColumns.STRIDE + Readings.SPANS_DROPPED]);
    json.put("exportFailures", totals[RouteColumns.STRIDE + Readings.EXPORT_FAILURES]);
    json.put("lastFailure", context.lastExportFailure);
    return json;
  }

  static String time(long millis) {
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
