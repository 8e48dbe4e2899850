package io.vigil.agent.check;

import static io.vigil.agent.check.JsonReader.count;
import static io.vigil.agent.check.JsonReader.flag;
import static io.vigil.agent.check.JsonReader.number;
import static io.vigil.agent.check.JsonReader.object;
import static io.vigil.agent.check.JsonReader.objects;
import static io.vigil.agent.check.JsonReader.string;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the agent's {@code /health} and {@code /api/summary} answers into findings, each with a
 * severity; the worst is the check's status. Findings of severity OK are information (new error
 * groups without {@code --warn-on-new-errors}, a window the agent has not covered yet).
 */
final class Judge {

  /** One thing the check found. */
  static final class Finding {
    final Severity severity;
    final String subject;
    final String text;

    Finding(Severity severity, String subject, String text) {
      this.severity = severity;
      this.subject = subject;
      this.text = text;
    }

    @Override
    public String toString() {
      return severity + " " + subject + ": " + text;
    }
  }

  private final CheckOptions options;
  final List<Finding> findings = new ArrayList<Finding>();

  private Judge(CheckOptions options) {
    this.options = options;
  }

  static Judge of(CheckOptions options, Map<String, Object> health, Map<String, Object> summary) {
    Judge judge = new Judge(options);
    judge.health(health);
    Map<String, Object> totals = object(summary, "totals");
    judge.traffic("all requests", totals);
    for (Map<String, Object> route : objects(summary, "routes")) {
      judge.traffic(string(route, "method") + " " + string(route, "route"), route);
    }
    for (Map<String, Object> pool : objects(summary, "pools")) {
      judge.pool(pool);
    }
    judge.export(object(summary, "export"));
    judge.newErrors(object(summary, "errors"));
    Double covered = number(summary, "coveredSeconds");
    Double window = number(summary, "windowSeconds");
    if (covered != null && window != null && covered < window) {
      judge.add(Severity.OK, "window", "the agent has data for " + Format.seconds(covered) + " of the "
          + options.window + " window (it started within the window)");
    }
    return judge;
  }

  Severity status() {
    Severity worst = Severity.OK;
    for (Finding finding : findings) {
      worst = worst.worst(finding.severity);
    }
    return worst;
  }

  /** Findings that decide the status, worst first; information after them. */
  List<Finding> ordered() {
    List<Finding> out = new ArrayList<Finding>();
    for (int s = Severity.UNKNOWN.ordinal(); s >= 0; s--) {
      for (Finding finding : findings) {
        if (finding.severity.ordinal() == s) {
          out.add(finding);
        }
      }
    }
    return out;
  }

  private void add(Severity severity, String subject, String text) {
    findings.add(new Finding(severity, subject, text));
  }

  private void health(Map<String, Object> health) {
    if ("UP".equals(string(health, "status"))) {
      return;
    }
    List<String> down = new ArrayList<String>();
    for (Map<String, Object> check : objects(health, "checks")) {
      if (!"UP".equals(string(check, "status"))) {
        String reason = string(check, "reason");
        down.add(string(check, "name") + (reason == null ? "" : " (" + reason + ")"));
      }
    }
    add(Severity.CRITICAL, "health", "DOWN" + (down.isEmpty() ? " (checks hidden from this caller)" : ": " + String.join(", ", down)));
  }

  /** Error ratio and p95 of a route or of the totals, once it has {@code --min-requests}. */
  private void traffic(String subject, Map<String, Object> figures) {
    long requests = count(figures, "requests");
    if (requests == 0 || requests < options.minRequests) {
      return;
    }
    Double ratio = number(figures, "errorRatio");
    if (ratio != null) {
      Severity severity = options.maxErrorRatio.of(ratio);
      if (severity != Severity.OK) {
        add(severity, subject, "error ratio " + Format.ratio(ratio) + " (" + count(figures, "errors") + " of " + requests
            + ") over " + Format.ratio(options.maxErrorRatio.limit(severity)));
      }
    }
    Double p95 = number(figures, "p95Seconds");
    if (p95 != null) {
      Severity severity = options.maxP95.of(p95);
      if (severity != Severity.OK) {
        add(severity, subject, "p95 " + Format.seconds(p95) + " over " + Format.seconds(options.maxP95.limit(severity)));
      }
    }
  }

  private void pool(Map<String, Object> pool) {
    String subject = "pool " + string(pool, "pool");
    long active = count(pool, "active");
    long max = count(pool, "max");
    long pending = count(pool, "pending");
    if (pending > 0 && max > 0 && active >= max) {
      add(Severity.WARNING, subject, "saturated: " + active + "/" + max + " connections in use, " + pending + " waiting");
    }
    long timeouts = count(pool, "timeouts");
    Severity severity = options.maxPoolTimeouts.of(timeouts);
    if (severity != Severity.OK) {
      add(severity, subject, timeouts + " connection timeout(s) in " + options.window + ", over "
          + Math.round(options.maxPoolTimeouts.limit(severity)));
    }
  }

  private void export(Map<String, Object> export) {
    long dropped = count(export, "spansDropped");
    if (dropped > 0) {
      add(Severity.WARNING, "trace export", dropped + " span(s) dropped in " + options.window + " (queue full)");
    }
    long failures = count(export, "exportFailures");
    if (failures > 0) {
      String last = string(export, "lastFailure");
      add(Severity.WARNING, "trace export", failures + " export failure(s) in " + options.window
          + (last == null ? "" : ", last: " + last));
    }
  }

  private void newErrors(Map<String, Object> errors) {
    List<String> fresh = new ArrayList<String>();
    for (Map<String, Object> group : objects(errors, "recent")) {
      if (flag(group, "new")) {
        List<String> routes = new ArrayList<String>();
        Object listed = group.get("routes");
        if (listed instanceof List) {
          for (Object route : (List<?>) listed) {
            routes.add(String.valueOf(route));
          }
        }
        fresh.add(string(group, "type") + " (" + string(group, "source")
            + (routes.isEmpty() ? "" : " on " + String.join(", ", routes)) + ")");
      }
    }
    long count = Math.max(count(errors, "newInWindow"), fresh.size());
    if (count > 0) {
      add(options.warnOnNewErrors ? Severity.WARNING : Severity.OK, "errors",
          count + " new error group(s) in " + options.window + (fresh.isEmpty() ? "" : ": " + String.join(", ", fresh)));
    }
  }
}
