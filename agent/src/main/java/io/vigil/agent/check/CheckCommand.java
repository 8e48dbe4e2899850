package io.vigil.agent.check;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar vigil-agent.jar check <url>}: the agent jar's {@code Main-Class}. It reads a
 * running agent's {@code /health} and {@code /api/summary} over HTTP(S) and prints a Nagios-style
 * verdict; the exit code is the verdict (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 *
 * <p>It runs in a JVM of its own, apart from any application, and loads nothing of the agent's
 * weaving, telemetry or shaded libraries: only this package and the small JSON writer of the agent
 * port. Every failure, including one of this code, ends in UNKNOWN (3), never in the JVM's own exit
 * code 1, which a monitoring system would read as WARNING.
 */
public final class CheckCommand {

  private CheckCommand() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(Arrays.asList(args), System.getenv(), System.out, System.err);
    } catch (Throwable t) {
      System.out.println("VIGIL UNKNOWN - the check itself failed: " + t);
      code = Severity.UNKNOWN.exitCode();
    }
    System.out.flush();
    System.exit(code);
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.isEmpty() || !"check".equals(args.get(0))) {
      boolean help = !args.isEmpty() && ("--help".equals(args.get(0)) || "-h".equals(args.get(0)));
      (help ? out : err).println("This jar is the Vigil agent: attach it with java -javaagent:vigil-agent.jar ..."
          + "\nRun on its own, it checks a running agent.\n\n" + CheckOptions.USAGE);
      return help ? Severity.OK.exitCode() : Severity.UNKNOWN.exitCode();
    }
    CheckOptions options;
    try {
      options = CheckOptions.parse(args.subList(1, args.size()), env);
    } catch (CheckOptions.HelpRequested help) {
      out.println(CheckOptions.USAGE);
      return Severity.OK.exitCode();
    } catch (IllegalArgumentException e) {
      out.print(CheckReport.unknown(null, e.getMessage()));
      err.println("See java -jar vigil-agent.jar check --help");
      return Severity.UNKNOWN.exitCode();
    }
    try {
      AgentClient client = new AgentClient(options);
      AgentClient.Answer health = client.get("/health");
      if (health.status != 200 && health.status != 503) {
        throw new AgentClient.Unreachable("/health answered HTTP " + health.status + firstLine(health.body)
            + "; is " + options.url + " a Vigil agent port?");
      }
      Map<String, Object> healthDoc = document("/health", health.body);
      AgentClient.Answer summary = client.get("/api/summary?window=" + options.window);
      if (summary.status == 404) {
        throw new AgentClient.Unreachable("no /api/summary at " + options.url
            + " (an agent older than this check, or not a Vigil agent port)");
      }
      if (summary.status != 200) {
        throw new AgentClient.Unreachable("/api/summary answered HTTP " + summary.status + firstLine(summary.body));
      }
      Map<String, Object> summaryDoc = document("/api/summary", summary.body);
      if (!(summaryDoc.get("totals") instanceof Map) || !(summaryDoc.get("routes") instanceof List)) {
        throw new AgentClient.Unreachable("the answer of /api/summary is not a Vigil summary (no totals or routes)");
      }
      Judge judge = Judge.of(options, healthDoc, summaryDoc);
      out.print(options.json ? CheckReport.json(options, judge, healthDoc, summaryDoc)
          : CheckReport.text(options, judge, healthDoc, summaryDoc));
      return judge.status().exitCode();
    } catch (AgentClient.Unreachable e) {
      out.print(CheckReport.unknown(options, e.getMessage()));
      return Severity.UNKNOWN.exitCode();
    }
  }

  private static Map<String, Object> document(String path, String body) throws AgentClient.Unreachable {
    Object value;
    try {
      value = JsonReader.parse(body);
    } catch (IllegalArgumentException e) {
      throw new AgentClient.Unreachable("the answer of " + path + " is not JSON (" + e.getMessage() + ")" + firstLine(body));
    }
    if (!(value instanceof Map)) {
      throw new AgentClient.Unreachable("the answer of " + path + " is not a JSON object");
    }
    return JsonReader.object(value);
  }

  /** The start of a body, to quote in a one-line reason. */
  private static String firstLine(String body) {
    String line = body == null ? "" : body.trim();
    int end = line.indexOf('\n');
    line = end >= 0 ? line.substring(0, end) : line;
    line = line.length() > 80 ? line.substring(0, 80) + "..." : line;
    return line.isEmpty() ? "" : ": " + line;
  }
}
