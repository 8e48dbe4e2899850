package io.vigil.agent.summary;

import io.vigil.api.errors.ErrorGroup;
import io.vigil.api.metrics.StatementTotals;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The summary's {@code statements}, {@code pools} and {@code errors} sections. */
final class SectionsJson {

  /** Error groups listed at most. */
  static final int MAX_RECENT_GROUPS = 20;

  private SectionsJson() {}

  static List<Object> statements(Map<Object, long[]> statements) {
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
      json.put("totalSeconds", SummaryJson.round(seconds));
      json.put("meanSeconds", SummaryJson.round(seconds / count));
      rows.add(json);
    }
    return rows;
  }

  static List<Object> pools(SummaryService.Summary summary) {
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

  static Map<String, Object> errors(SummaryService.Summary summary, SummaryJson.Context context) {
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
      json.put("firstSeen", SummaryJson.time(group.firstSeenMillis()));
      json.put("lastSeen", SummaryJson.time(group.lastSeenMillis()));
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
}
