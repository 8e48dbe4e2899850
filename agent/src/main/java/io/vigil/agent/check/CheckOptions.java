package io.vigil.agent.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of {@code check}. A password is never taken from the command line, where {@code
 * ps} shows it to every user of the machine: it comes from a file or an environment variable.
 */
final class CheckOptions {

  static final List<String> WINDOWS = Arrays.asList("5m", "1h", "24h");
  static final String PASSWORD_ENV = "VIGIL_CHECK_PASSWORD";
  private static final List<String> VALUED = Arrays.asList("--window", "--max-error-ratio", "--max-p95",
      "--max-pool-timeouts", "--min-requests", "--user", "--password-file", "--password-env", "--bearer-token-file",
      "--cacert", "--timeout");

  static final String USAGE = String.join("\n",
      "Usage: java -jar vigil-agent.jar check <url> [options]",
      "",
      "Reads /health and /api/summary of a running Vigil agent and prints a Nagios-style report.",
      "<url> is the agent port, e.g. http://127.0.0.1:9464 or https://app-host:9464 (a path prefix is kept).",
      "",
      "  --window 5m|1h|24h        the window judged (default 5m)",
      "  --max-error-ratio W[,C]   error ratio (0..1, or a percentage such as 2%) of each route and of all",
      "                            requests (default 0.01,0.05)",
      "  --max-p95 W[,C]           p95 latency of each route and of all requests, with a unit: 500ms, 2s",
      "                            (default: not judged)",
      "  --max-pool-timeouts W[,C] connection timeouts of a pool within the window (default 0,10)",
      "  --min-requests N          routes (and a total) with fewer requests in the window are shown but not",
      "                            judged on error ratio or p95 (default 10)",
      "  --warn-on-new-errors      error groups first seen in the window are a WARNING (default: listed only)",
      "  --user NAME               HTTP basic authentication as NAME; the password comes from",
      "  --password-file FILE        a file (a trailing line break is ignored), or",
      "  --password-env VAR          an environment variable; without either, " + PASSWORD_ENV,
      "  --bearer-token-file FILE  send Authorization: Bearer with the token in FILE",
      "  --cacert FILE             PEM CA certificate(s) to trust for an https:// agent port (default: the",
      "                            JVM's trust store); there is no option to skip verification",
      "  --timeout DURATION        per request: 500ms, 10s (default 10s)",
      "  --json                    print one JSON document (status, exit code, findings, figures) instead",
      "  --help                    this text",
      "",
      "Thresholds: W,C gives a WARNING and a CRITICAL limit; a single value is the CRITICAL limit, with no",
      "WARNING level. A value strictly over a limit reaches it.",
      "Verdicts: health DOWN is CRITICAL; a pool with requests waiting and every connection in use is a",
      "WARNING (the agent reports it DOWN, hence CRITICAL, once requests wait past its exhaustion threshold);",
      "pool timeouts by --max-pool-timeouts; spans dropped or failed exports are a WARNING.",
      "Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (unreachable, timeout, TLS failure, 401/403,",
      "an answer that is not a summary, a bad option).");

  final String url;
  final String window;
  final Threshold maxErrorRatio;
  final Threshold maxP95;
  final Threshold maxPoolTimeouts;
  final long minRequests;
  final boolean warnOnNewErrors;
  final String user;
  final String password;
  final String bearerToken;
  final String caFile;
  final int timeoutMillis;
  final boolean json;

  private CheckOptions(Builder b) {
    url = b.url;
    window = b.window;
    maxErrorRatio = b.maxErrorRatio;
    maxP95 = b.maxP95;
    maxPoolTimeouts = b.maxPoolTimeouts;
    minRequests = b.minRequests;
    warnOnNewErrors = b.warnOnNewErrors;
    user = b.user;
    password = b.password;
    bearerToken = b.bearerToken;
    caFile = b.caFile;
    timeoutMillis = b.timeoutMillis;
    json = b.json;
  }

  /** Help asked for: the caller prints {@link #USAGE} and exits 0. */
  static final class HelpRequested extends Exception {
    HelpRequested() {
      super("help", null, false, false);
    }
  }

  /** The arguments after {@code check}; throws with a one-line message on anything wrong. */
  static CheckOptions parse(List<String> args, Map<String, String> env) throws HelpRequested {
    Builder b = new Builder();
    String passwordFile = null;
    String passwordEnv = null;
    String tokenFile = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--help":
        case "-h":
          throw new HelpRequested();
        case "--json":
          b.json = true;
          continue;
        case "--warn-on-new-errors":
          b.warnOnNewErrors = true;
          continue;
        case "--password":
          throw new IllegalArgumentException("--password is not accepted: a command line is visible to every user"
              + " in ps; use --password-file FILE, --password-env VAR or " + PASSWORD_ENV);
        case "--insecure":
        case "-k":
          throw new IllegalArgumentException(arg + " is not offered: give the agent's CA with --cacert FILE");
        default:
          break;
      }
      if (!arg.startsWith("-")) {
        if (b.url != null) {
          throw new IllegalArgumentException("one URL only; '" + b.url + "' and '" + arg + "' given");
        }
        b.url = arg;
        continue;
      }
      if (!VALUED.contains(arg)) {
        throw new IllegalArgumentException("unknown option " + arg + "; see --help");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(arg + " needs a value; see --help");
        }
        value = args.get(++i);
      }
      switch (arg) {
        case "--window":
          if (!WINDOWS.contains(value)) {
            throw new IllegalArgumentException("--window must be one of 5m, 1h, 24h, not '" + value + "'");
          }
          b.window = value;
          break;
        case "--max-error-ratio":
          b.maxErrorRatio = Threshold.parse(arg, value, CheckOptions::ratio);
          break;
        case "--max-p95":
          b.maxP95 = Threshold.parse(arg, value, (option, text) -> millis(option, text) / 1000.0);
          break;
        case "--max-pool-timeouts":
          b.maxPoolTimeouts = Threshold.parse(arg, value, (option, text) -> count(option, text));
          break;
        case "--min-requests":
          b.minRequests = count(arg, value);
          break;
        case "--user":
          b.user = value;
          break;
        case "--password-file":
          passwordFile = value;
          break;
        case "--password-env":
          passwordEnv = value;
          break;
        case "--bearer-token-file":
          tokenFile = value;
          break;
        case "--cacert":
          b.caFile = value;
          break;
        case "--timeout":
          long timeout = millis(arg, value);
          if (timeout < 1 || timeout > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--timeout must be from 1ms to 24 days, not '" + value + "'");
          }
          b.timeoutMillis = (int) timeout;
          break;
        default:
          throw new IllegalStateException(arg);
      }
    }
    if (b.url == null) {
      throw new IllegalArgumentException("the agent URL is missing, e.g. check http://127.0.0.1:9464; see --help");
    }
    String lower = b.url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException("the URL must start with http:// or https://, not '" + b.url + "'");
    }
    if (passwordFile != null && passwordEnv != null) {
      throw new IllegalArgumentException("give --password-file or --password-env, not both");
    }
    if (b.user == null && (passwordFile != null || passwordEnv != null)) {
      throw new IllegalArgumentException("a password without --user NAME");
    }
    if (b.user != null) {
      b.password = passwordFile != null ? read("--password-file", passwordFile) : env.get(passwordEnv != null ? passwordEnv : PASSWORD_ENV);
      if (b.password == null) {
        throw new IllegalArgumentException(passwordEnv != null
            ? "--password-env " + passwordEnv + ": that environment variable is not set"
            : "--user needs a password: --password-file FILE, --password-env VAR or " + PASSWORD_ENV);
      }
    }
    if (tokenFile != null) {
      b.bearerToken = read("--bearer-token-file", tokenFile);
    }
    return new CheckOptions(b);
  }

  /** The file's text without the line break an editor or {@code echo} leaves at its end. */
  private static String read(String option, String file) {
    try {
      String text = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
      return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  static double ratio(String option, String text) {
    boolean percent = text.endsWith("%");
    double value;
    try {
      value = Double.parseDouble(percent ? text.substring(0, text.length() - 1).trim() : text);
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (percent) {
      value /= 100;
    }
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(option + " takes ratios from 0 to 1 (0.05) or percentages (5%), not '" + text + "'");
    }
    return value;
  }

  /** {@code 250ms}, {@code 1.5s}, {@code 2m}: a unit is required, since a bare number could mean either. */
  static long millis(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    double unit = t.endsWith("ms") ? 1 : t.endsWith("s") ? 1000 : t.endsWith("m") ? 60_000 : Double.NaN;
    double value = Double.NaN;
    if (!Double.isNaN(unit)) {
      try {
        value = Double.parseDouble(t.substring(0, t.length() - (t.endsWith("ms") ? 2 : 1)));
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
    }
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " takes a duration with its unit (500ms, 2s, 1m), not '" + text + "'");
    }
    return Math.round(value * unit);
  }

  static long count(String option, String text) {
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(option + " takes a whole number of at least 0, not '" + text + "'");
  }

  private static final class Builder {
    String url;
    String window = "5m";
    Threshold maxErrorRatio = new Threshold(0.01, 0.05);
    Threshold maxP95 = Threshold.NONE;
    Threshold maxPoolTimeouts = new Threshold(0.0, 10.0);
    long minRequests = 10;
    boolean warnOnNewErrors;
    String user;
    String password;
    String bearerToken;
    String caFile;
    int timeoutMillis = 10_000;
    boolean json;
  }
}
