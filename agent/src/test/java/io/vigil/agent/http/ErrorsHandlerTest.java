package io.vigil.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsHandlerTest {

  @ParameterizedTest
  @CsvSource({"250ms, 250", "30s, 30000", "15m, 900000", "2h, 7200000", "7d, 604800000", "1H, 3600000",
      "15, -1", "m, -1", "-5m, -1", "1.5h, -1", "abc, -1"})
  void readsSinceAsADuration(String text, long millis) {
    assertEquals(millis, ErrorsHandler.durationMillis(text));
  }

  @Test
  void readsTheQuery() {
    assertEquals(Map.of("since", "15m", "limit", "5"), ErrorsHandler.query("since=15m&limit=5&flag"));
    assertEquals(Map.of(), ErrorsHandler.query(null));
  }
}
