package io.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the configuration value parsers and of {@link ConfigLoader} over generated text,
 * from a fixed seed: no parser throws on any text; what a parser accepts is within what its
 * setting allows; values written the documented way read back exactly; and a whole configuration
 * of random values loads without throwing, echoing no secret setting's value.
 */
class ValueParsersFuzzTest {

  private static final long SEED = Long.getLong("vigil.fuzz.seed", 0xc0f_13L);
  private static final int CASES = Integer.getInteger("vigil.fuzz.cases", 3000);

  @Test
  void noParserThrowsAndAcceptedValuesAreInRange() {
    Random random = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      String text = junk(random);
      String shown = "'" + text + "'";
      Integer port = ValueParsers.parseInt(text, 0, 65535);
      assertTrue(port == null || port >= 0 && port <= 65535, shown);
      Double ratio = ValueParsers.parseRatio(text);
      assertTrue(ratio == null || ratio >= 0.0 && ratio <= 1.0, shown);
      Long nanos = ValueParsers.parseDurationNanos(text);
      assertTrue(nanos == null || nanos >= 0, shown);
      ValueParsers.parseBoolean(text);
      ValueParsers.parseHttpUrl(text);
      Map<String, String> pairs = ValueParsers.parseKeyValueList(text);
      if (pairs != null) {
        for (Map.Entry<String, String> e : pairs.entrySet()) {
          assertFalse(e.getKey().isEmpty(), shown);
          assertFalse(hasControl(e.getKey()) || hasControl(e.getValue()), shown);
        }
      }
    }
  }

  @Test
  void documentedFormsReadBack() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      int n = random.nextInt(65536);
      assertEquals(n, ValueParsers.parseInt(pad(random, Integer.toString(n)), 0, 65535));
      long ms = random.nextInt(1_000_000_000);
      assertEquals(ms * 1_000_000L, ValueParsers.parseDurationNanos(pad(random, ms + "ms")));
      assertEquals(ms * 1_000_000L, ValueParsers.parseDurationNanos(pad(random, Long.toString(ms))));

      Map<String, String> headers = new LinkedHashMap<>();
      int count = random.nextInt(5);
      for (int h = 0; h < count; h++) {
        headers.put("k" + h + "-" + (char) ('a' + random.nextInt(26)), printable(random));
      }
      StringBuilder text = new StringBuilder();
      for (Map.Entry<String, String> e : headers.entrySet()) {
        text.append(text.length() == 0 ? "" : ",").append(pad(random, e.getKey())).append('=')
            .append(percentEncode(e.getValue()));
      }
      assertEquals(headers, ValueParsers.parseKeyValueList(text.toString()), text.toString());
    }
  }

  @Test
  void aControlCharacterInAHeaderIsRefused() {
    Random random = new Random(SEED + 2);
    for (int i = 0; i < CASES; i++) {
      String value = printable(random);
      int at = random.nextInt(value.length() + 1);
      char control = (char) (random.nextBoolean() ? random.nextInt(0x20) : 0x7f);
      String broken = value.substring(0, at) + control + value.substring(at);
      assertNull(ValueParsers.parseKeyValueList("Authorization=" + percentEncode(broken)), broken);
    }
  }

  @Test
  void randomConfigurationsLoadAndEchoNoSecret() {
    Random random = new Random(SEED + 3);
    for (int i = 0; i < CASES / 10; i++) {
      Properties system = new Properties();
      Map<String, String> env = new HashMap<>();
      String secret = "Sk9" + Integer.toString(random.nextInt(Integer.MAX_VALUE), 36) + "zz";
      for (String key : ConfigLoader.knownKeys()) {
        String value = SecretSettings.isSecret(key) ? secret + junk(random) : junk(random);
        if (random.nextBoolean()) {
          system.setProperty("vigil." + key, value);
        } else {
          env.put(ConfigLoader.envName(key), value);
        }
      }
      env.put("OTEL_EXPORTER_OTLP_HEADERS", secret + "," + junk(random));
      LoadedConfig loaded = ConfigLoader.load(random.nextBoolean() ? null : junk(random), system, env, "Main");
      for (String warning : loaded.warnings()) {
        assertFalse(warning.contains(secret), warning);
      }
    }
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static String pad(Random random, String s) {
    return " ".repeat(random.nextInt(2)) + s + "\t".repeat(random.nextInt(2));
  }

  /** Printable text with the characters the list syntax uses: , = % + and spaces, and non-ASCII. */
  private static String printable(Random random) {
    String alphabet = "abcXYZ019 ,=%+;:/\"'é€";
    StringBuilder s = new StringBuilder();
    int length = 1 + random.nextInt(20);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static String junk(Random random) {
    String alphabet = "0123456789.-+eEsmhSMH ,=%:/@;?&truefalsNaInfinity\t\u00e9\u0000\n";
    int length = random.nextInt(random.nextInt(20) == 0 ? 2000 : 24);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
