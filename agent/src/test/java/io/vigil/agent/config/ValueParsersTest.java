package io.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueParsersTest {

  @ParameterizedTest
  @CsvSource({"250ms,250000000", "1s,1000000000", "1.5s,1500000000", "2m,120000000000", "1h,3600000000000",
      "500,500000000", "0,0", " 3s ,3000000000", "1S,1000000000"})
  void durations(String text, long nanos) {
    assertEquals(nanos, ValueParsers.parseDurationNanos(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "s", "-1s", "+1s", "soon", "1x", "1e400s", "NaNs", "1 s s"})
  void badDurations(String text) {
    assertNull(ValueParsers.parseDurationNanos(text));
  }

  @ParameterizedTest
  @CsvSource({"0,0.0", "1,1.0", "0.25,0.25", "1.0,1.0"})
  void ratios(String text, double ratio) {
    assertEquals(ratio, ValueParsers.parseRatio(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"7", "-0.1", "1.01", "half", ""})
  void badRatios(String text) {
    assertNull(ValueParsers.parseRatio(text));
  }

  @Test
  void integersRespectTheirRange() {
    assertEquals(65535, ValueParsers.parseInt("65535", 0, 65535));
    assertNull(ValueParsers.parseInt("65536", 0, 65535));
    assertNull(ValueParsers.parseInt("-1", 0, 65535));
    assertNull(ValueParsers.parseInt("12ab", 0, 65535));
  }

  @Test
  void keyValueLists() {
    assertEquals(Map.of("a", "1", "b", "x y"), ValueParsers.parseKeyValueList("a=1, b=x%20y,"));
    assertEquals(Map.of("k", "v=w"), ValueParsers.parseKeyValueList("k=v=w"));
    assertNull(ValueParsers.parseKeyValueList("a"));
    assertNull(ValueParsers.parseKeyValueList("=1"));
    assertNull(ValueParsers.parseKeyValueList("a=%zz"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://jaeger:4318", "https://collector.example.com", "http://127.0.0.1:4318/v1/traces"})
  void urls(String url) {
    assertEquals(url, ValueParsers.parseHttpUrl(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jaeger:4318", "ftp://x", "http://", "not a url", "grpc://x:4317"})
  void badUrls(String url) {
    assertNull(ValueParsers.parseHttpUrl(url));
  }

  @Test
  void booleansAreStrict() {
    assertEquals(Boolean.TRUE, ValueParsers.parseBoolean("TRUE"));
    assertEquals(Boolean.FALSE, ValueParsers.parseBoolean(" false "));
    assertNull(ValueParsers.parseBoolean("yes"));
    assertNull(ValueParsers.parseBoolean("1"));
  }
}
