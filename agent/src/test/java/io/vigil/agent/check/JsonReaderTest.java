package io.vigil.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

  @Test
  void readsEveryKindOfValue() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\\c/d\b\f\n\r\t\u00e9\ud83d\ude00");
    expected.put("i", 42L);
    expected.put("neg", -7L);
    expected.put("d", 0.0097);
    expected.put("e", 1.5e-7);
    expected.put("big", 12345678901234567890.0);
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("a", Arrays.asList(1L, "x", Collections.emptyList(), Collections.emptyMap()));
    String text = " {\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"i\":42,\"neg\":-7,\"d\":0.0097,"
        + "\"e\":1.5E-7,\"big\":12345678901234567890,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,\"x\",[],{}]}\n";
    assertEquals(expected, JsonReader.parse(text));
    assertEquals(List.of("n", "i", "a"), List.copyOf(((Map<?, ?>) JsonReader.parse("{\"n\":1,\"i\":2,\"a\":3}")).keySet()));
  }

  @Test
  void readsTheRecordedSummariesAsJacksonDoes() throws Exception {
    ObjectMapper jackson = new ObjectMapper();
    for (String name : List.of("summary-healthy.json", "summary-degraded.json", "summary-pool-exhausted.json",
        "health-up.json", "health-down.json")) {
      String text = RecordedAgent.resource(name);
      assertEquals(jackson.readTree(text), jackson.readTree(jackson.writeValueAsString(JsonReader.parse(text))), name);
    }
  }

  @Test
  void refusesWhatIsNotJsonSayingWhere() {
    assertEquals("unexpected end at character 1", message(""));
    assertEquals("expected a quoted name at character 2", message("{a:1}"));
    assertEquals("expected '}' at character 7", message("{\"a\":1]"));
    assertEquals("unexpected text after the document at character 4", message("{} x"));
    assertEquals("bad number '01' at character 2", message("[01]"));
    assertEquals("bad number '1.' at character 2", message("[1.]"));
    assertEquals("unexpected word at character 1", message("nul"));
    assertEquals("unterminated string at character 5", message("\"abc"));
    assertEquals("control character in a string at character 4", message("\"a\u0001\""));
    assertEquals("bad escape \\x at character 4", message("\"\\x\""));
    assertEquals("nested deeper than 64 at character 66", message("[".repeat(100)));
  }

  @Test
  void typedGettersAreLenient() {
    Map<String, Object> doc = JsonReader.object(JsonReader.parse("{\"n\":3,\"s\":\"x\",\"l\":[{\"a\":1},2],\"b\":true}"));
    assertEquals(3, JsonReader.count(doc, "n"));
    assertEquals(0, JsonReader.count(doc, "s"));
    assertNull(JsonReader.number(doc, "missing"));
    assertNull(JsonReader.string(doc, "n"));
    assertEquals(1, JsonReader.objects(doc, "l").size());
    assertEquals(0, JsonReader.objects(doc, "s").size());
    assertEquals(true, JsonReader.flag(doc, "b"));
    assertEquals(Map.of(), JsonReader.object(doc, "l"));
  }

  private static String message(String text) {
    return assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(text)).getMessage();
  }
}
