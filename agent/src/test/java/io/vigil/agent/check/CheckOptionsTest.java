package io.vigil.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckOptionsTest {

  private static CheckOptions parse(Map<String, String> env, String... args) throws Exception {
    return CheckOptions.parse(List.of(args), env);
  }

  private static CheckOptions parse(String... args) throws Exception {
    return parse(Map.of(), args);
  }

  private static String refused(Map<String, String> env, String... args) {
    return assertThrows(IllegalArgumentException.class, () -> parse(env, args)).getMessage();
  }

  private static String refused(String... args) {
    return refused(Map.of(), args);
  }

  @Test
  void defaults() throws Exception {
    CheckOptions o = parse("http://127.0.0.1:9464");
    assertEquals("http://127.0.0.1:9464", o.url);
    assertEquals("5m", o.window);
    assertEquals(0.01, o.maxErrorRatio.warning);
    assertEquals(0.05, o.maxErrorRatio.critical);
    assertEquals(false, o.maxP95.judges());
    assertEquals(0.0, o.maxPoolTimeouts.warning);
    assertEquals(10.0, o.maxPoolTimeouts.critical);
    assertEquals(10, o.minRequests);
    assertEquals(10_000, o.timeoutMillis);
    assertEquals(false, o.json);
    assertEquals(false, o.warnOnNewErrors);
    assertNull(o.user);
    assertNull(o.bearerToken);
  }

  @Test
  void thresholdsTakeWarningCommaCriticalOrACriticalAlone() throws Exception {
    CheckOptions both = parse("--max-error-ratio", "0.01,0.05", "--max-p95=500ms,2s", "https://h:9464", "--max-pool-timeouts", "2,20");
    assertEquals(0.01, both.maxErrorRatio.warning);
    assertEquals(0.05, both.maxErrorRatio.critical);
    assertEquals(0.5, both.maxP95.warning);
    assertEquals(2.0, both.maxP95.critical);
    assertEquals(2.0, both.maxPoolTimeouts.warning);
    CheckOptions single = parse("http://h", "--max-p95", "1.5s", "--max-error-ratio", "2%");
    assertNull(single.maxP95.warning);
    assertEquals(1.5, single.maxP95.critical);
    assertNull(single.maxErrorRatio.warning);
    assertEquals(0.02, single.maxErrorRatio.critical, 1e-12);
    assertEquals(Severity.OK, single.maxP95.of(1.5));
    assertEquals(Severity.CRITICAL, single.maxP95.of(1.5001));
    assertEquals(Severity.WARNING, both.maxP95.of(0.6));
    assertEquals(Severity.OK, both.maxP95.of(0.5));
    assertEquals(60.0, parse("http://h", "--max-p95", "1m").maxP95.critical);
  }

  @Test
  void badValuesAreOneLineNamingTheOption() {
    assertEquals("--max-p95 takes a duration with its unit (500ms, 2s, 1m), not '500'", refused("http://h", "--max-p95", "500"));
    assertEquals("--max-error-ratio takes ratios from 0 to 1 (0.05) or percentages (5%), not '7'", refused("http://h", "--max-error-ratio", "7"));
    assertEquals("--max-error-ratio: the CRITICAL limit 0.01 is below the WARNING limit 0.05",
        refused("http://h", "--max-error-ratio", "0.05,0.01"));
    assertEquals("--max-error-ratio takes WARNING,CRITICAL or a single CRITICAL value, not '1,2,3'",
        refused("http://h", "--max-error-ratio", "1,2,3"));
    assertEquals("--min-requests takes a whole number of at least 0, not '-1'", refused("http://h", "--min-requests", "-1"));
    assertEquals("--window must be one of 5m, 1h, 24h, not '1d'", refused("http://h", "--window", "1d"));
    assertEquals("--timeout must be from 1ms to 24 days, not '0s'", refused("http://h", "--timeout", "0s"));
    assertEquals("--timeout needs a value; see --help", refused("http://h", "--timeout"));
    assertEquals("unknown option --verbose; see --help", refused("http://h", "--verbose"));
    assertEquals("the agent URL is missing, e.g. check http://127.0.0.1:9464; see --help", refused("--json"));
    assertEquals("the URL must start with http:// or https://, not '127.0.0.1:9464'", refused("127.0.0.1:9464"));
    assertEquals("one URL only; 'http://a' and 'http://b' given", refused("http://a", "http://b"));
    assertThrows(CheckOptions.HelpRequested.class, () -> parse("http://h", "--help"));
  }

  @Test
  void aPasswordComesFromAFileOrTheEnvironmentNeverTheCommandLine(@TempDir Path dir) throws Exception {
    assertEquals("--password is not accepted: a command line is visible to every user in ps; use --password-file FILE,"
        + " --password-env VAR or VIGIL_CHECK_PASSWORD", refused("http://h", "--user", "u", "--password", "p"));
    assertEquals("--password is not accepted: a command line is visible to every user in ps; use --password-file FILE,"
        + " --password-env VAR or VIGIL_CHECK_PASSWORD", refused("http://h", "--password=p"));
    Path file = Files.writeString(dir.resolve("pw"), "from file\n");
    assertEquals("from file", parse("http://h", "--user", "u", "--password-file", file.toString()).password);
    Files.writeString(file, "crlf\r\n");
    assertEquals("crlf", parse("http://h", "--user", "u", "--password-file", file.toString()).password);
    assertEquals("from env", parse(Map.of("VIGIL_CHECK_PASSWORD", "from env"), "http://h", "--user", "u").password);
    assertEquals("mine", parse(Map.of("VIGIL_CHECK_PASSWORD", "x", "MY_PW", "mine"), "http://h", "--user", "u",
        "--password-env", "MY_PW").password);
    assertEquals("--password-env MY_PW: that environment variable is not set",
        refused(Map.of("VIGIL_CHECK_PASSWORD", "x"), "http://h", "--user", "u", "--password-env", "MY_PW"));
    assertEquals("--user needs a password: --password-file FILE, --password-env VAR or VIGIL_CHECK_PASSWORD",
        refused("http://h", "--user", "u"));
    assertEquals("a password without --user NAME", refused("http://h", "--password-file", file.toString()));
    assertEquals("give --password-file or --password-env, not both",
        refused("http://h", "--user", "u", "--password-file", file.toString(), "--password-env", "X"));
    assertEquals("--password-file " + dir.resolve("missing") + " cannot be read (NoSuchFileException)",
        refused("http://h", "--user", "u", "--password-file", dir.resolve("missing").toString()));
    Path token = Files.writeString(dir.resolve("token"), "tok\n");
    assertEquals("tok", parse("http://h", "--bearer-token-file", token.toString()).bearerToken);
  }

  @Test
  void flagsAndUnitsParse() throws Exception {
    CheckOptions o = parse("--json", "--warn-on-new-errors", "--window=24h", "--timeout", "1.5s", "--min-requests", "0",
        "--cacert", "/etc/ca.pem", "http://h");
    assertEquals(true, o.json);
    assertEquals(true, o.warnOnNewErrors);
    assertEquals("24h", o.window);
    assertEquals(1500, o.timeoutMillis);
    assertEquals(0, o.minRequests);
    assertEquals("/etc/ca.pem", o.caFile);
    assertEquals(250, CheckOptions.millis("--x", "250ms"));
    assertEquals(120_000, CheckOptions.millis("--x", "2m"));
  }
}
