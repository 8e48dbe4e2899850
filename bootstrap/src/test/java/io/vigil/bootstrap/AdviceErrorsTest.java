package io.vigil.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdviceErrorsTest {

  @AfterEach
  void reset() {
    AdviceErrors.install(null);
  }

  @Test
  void recordReachesTheInstalledSink() {
    List<String> seen = new ArrayList<>();
    IllegalStateException error = new IllegalStateException("boom");
    AdviceErrors.install((instrumentation, t) -> {
      seen.add(instrumentation);
      assertSame(error, t);
    });

    AdviceErrors.record(error, "jdbc");

    assertEquals(List.of("jdbc"), seen);
  }

  @Test
  void aThrowingSinkNeverReachesTheCaller() {
    AdviceErrors.install((instrumentation, t) -> {
      throw new RuntimeException("sink failure");
    });

    AdviceErrors.record(new Error("x"), "servlet"); // must return normally
  }

  @Test
  void withoutASinkErrorsAreDiscarded() {
    AdviceErrors.record(new Error("x"), "hikari");
  }
}
