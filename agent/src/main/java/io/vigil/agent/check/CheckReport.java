package io.vigil.agent.check;

import static io.vigil.agent.check.JsonReader.count;
import static io.vigil.agent.check.JsonReader.number;
import static io.vigil.agent.check.JsonReader.object;
import static io.vigil.agent.check.JsonReader.objects;
import static io.vigil.agent.check.JsonReader.string;

import io.vigil.agent.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check's output: a Nagios first line ({@code VIGIL OK - service: ... | perfdata}) and a short
 * report under it, or one JSON document with the same findings and figures.
 */
final class CheckReport {

  static final int ROUTES_SHOWN = 20;

  private CheckReport() {}

  /** The first line without perfdata: the status, the worst finding, the totals. */
  static String headline(CheckOptions options, Judge judge, Map<String, Object> summary) {
    Severity status = judge.status();
    Map<String, Object> totals = object(summary, "totals");
    String service = string(summary, "service");
    StringBuilder line = new StringBuilder("VIGIL ").append(status).append(" - ")
        .append(service == null ? "service" : service).append(": ");
    List<Judge.Finding> ordered = judge.ordered();
    if (status != Severity.OK) {
      Judge.Finding worst = ordered.get(0);
      line.append(worst.subject).append(' ').append(worst.text);
      int more = 0;
      for (Judge.Finding finding : ordered) {
        more += finding.severity != Severity.OK ? 1 : 0;
      }
      if (more > 1) {
        line.append(" (+").append(more - 1).append(" more)");
      }
      line.append("; ");
    }
    line.append(count(totals, "requests")).append(" requests in ").append(options.window)
        .append(", error ratio ").append(Format.ratio(number(totals, "errorRatio")))
        .append(", p95 ").append(Format.seconds(number(totals, "p95Seconds")));
    return line.toString();
  }

  static String text(CheckOptions options, Judge judge, Map<String, Object> health, Map<String, Object> summary) {
    StringBuilder out = new StringBuilder(headline(options, judge, summary));
    out.append(" | ").append(perfdata(options, summary)).append('\n');
    out.append("health: ").append(string(health, "status"));
    List<String> checks = new ArrayList<String>();
    for (Map<String, Object> check : objects(health, "checks")) {
      checks.add(string(check, "name") + " " + string(check, "status"));
    }
    out.append(checks.isEmpty() ? "" : " (" + String.join(", ", checks) + ")").append('\n');
    List<Map<String, Object>> routes = objects(summary, "routes");
    out.append("routes in ").append(options.window).append(" (judged from ").append(options.minRequests)
        .append(" requests):").append(routes.isEmpty() ? " none\n" : "\n");
    for (int i = 0; i < routes.size() && i < ROUTES_SHOWN; i++) {
      Map<String, Object> r = routes.get(i);
      out.append("  ").append(string(r, "method")).append(' ').append(string(r, "route")).append(": ")
          .append(count(r, "requests")).append(" requests, error ratio ").append(Format.ratio(number(r, "errorRatio")))
          .append(" (").append(count(r, "errors")).append("), p95 ").append(Format.seconds(number(r, "p95Seconds")))
          .append('\n');
    }
    if (routes.size() > ROUTES_SHOWN) {
      out.append("  (").append(routes.size() - ROUTES_SHOWN).append(" quieter routes not shown)\n");
    }
    for (Map<String, Object> p : objects(summary, "pools")) {
      out.append("pool ").append(string(p, "pool")).append(": ").append(count(p, "active")).append('/')
          .append(count(p, "max")).append(" in use, ").append(count(p, "idle")).append(" idle, ")
          .append(count(p, "pending")).append(" waiting, ").append(count(p, "timeouts")).append(" timeouts\n");
    }
    Map<String, Object> export = object(summary, "export");
    out.append("trace export: ").append(JsonReader.flag(export, "enabled") ? "on, " : "off, ")
        .append(count(export, "spansExported")).append(" spans exported, ").append(count(export, "spansDropped"))
        .append(" dropped, ").append(count(export, "exportFailures")).append(" failures\n");
    Map<String, Object> errors = object(summary, "errors");
    out.append("error groups: ").append(count(errors, "groups")).append(", ").append(count(errors, "newInWindow"))
        .append(" new in ").append(options.window).append('\n');
    for (Judge.Finding finding : judge.ordered()) {
      out.append(finding.severity == Severity.OK ? "note" : finding.severity.toString()).append(": ")
          .append(finding.subject).append(": ").append(finding.text).append('\n');
    }
    return out.toString();
  }

  /** Nagios performance data: the totals with their limits, and each pool. */
  static String perfdata(CheckOptions options, Map<String, Object> summary) {
    Map<String, Object> totals = object(summary, "totals");
    StringBuilder out = new StringBuilder();
    out.append("'requests'=").append(count(totals, "requests")).append(";;;0");
    out.append(" 'errors'=").append(count(totals, "errors")).append(";;;0");
    Double ratio = number(totals, "errorRatio");
    if (ratio != null) {
      out.append(" 'error_ratio'=").append(Format.plain(ratio)).append(limits(options.maxErrorRatio)).append(";0;1");
    }
    Double p95 = number(totals, "p95Seconds");
    if (p95 != null) {
      out.append(" 'p95'=").append(Format.plain(p95)).append('s').append(limits(options.maxP95)).append(";0");
    }
    for (Map<String, Object> p : objects(summary, "pools")) {
      String name = String.valueOf(string(p, "pool")).replaceAll("['=\\s]", "_");
      out.append(" 'pool_").append(name).append("_active'=").append(count(p, "active")).append(";;;0;").append(count(p, "max"));
      out.append(" 'pool_").append(name).append("_pending'=").append(count(p, "pending")).append(";;;0");
    }
    return out.toString();
  }

  private static String limits(Threshold threshold) {
    return ";" + (threshold.warning == null ? "" : Format.plain(threshold.warning))
        + ";" + (threshold.critical == null ? "" : Format.plain(threshold.critical));
  }

  static String json(CheckOptions options, Judge judge, Map<String, Object> health, Map<String, Object> summary) {
    Map<String, Object> doc = head(judge.status(), headline(options, judge, summary), options);
    List<Object> findings = new ArrayList<Object>();
    for (Judge.Finding finding : judge.ordered()) {
      Map<String, Object> f = new LinkedHashMap<String, Object>();
      f.put("severity", finding.severity.toString());
      f.put("subject", finding.subject);
      f.put("text", finding.text);
      findings.add(f);
    }
    doc.put("findings", findings);
    Map<String, Object> figures = new LinkedHashMap<String, Object>();
    for (String key : new String[] {"service", "version", "generatedAt", "windowSeconds", "coveredSeconds"}) {
      figures.put(key, summary.get(key));
    }
    figures.put("health", health);
    for (String key : new String[] {"totals", "routes", "pools", "export", "errors"}) {
      figures.put(key, summary.get(key));
    }
    doc.put("figures", figures);
    return write(doc);
  }

  /** The one line, or the JSON document, of a check that got no usable answer. */
  static String unknown(CheckOptions options, String reason) {
    String line = "VIGIL UNKNOWN - " + reason;
    if (options == null || !options.json) {
      return line + "\n";
    }
    Map<String, Object> doc = head(Severity.UNKNOWN, line, options);
    Map<String, Object> f = new LinkedHashMap<String, Object>();
    f.put("severity", "UNKNOWN");
    f.put("subject", "agent");
    f.put("text", reason);
    List<Object> findings = new ArrayList<Object>();
    findings.add(f);
    doc.put("findings", findings);
    return write(doc);
  }

  private static Map<String, Object> head(Severity status, String summaryLine, CheckOptions options) {
    Map<String, Object> doc = new LinkedHashMap<String, Object>();
    doc.put("status", status.toString());
    doc.put("exitCode", status.exitCode());
    doc.put("summary", summaryLine);
    doc.put("url", options.url);
    doc.put("window", options.window);
    return doc;
  }

  private static String write(Map<String, Object> doc) {
    StringBuilder out = new StringBuilder(1024);
    Json.object(out, doc);
    return out.append('\n').toString();
  }
}
