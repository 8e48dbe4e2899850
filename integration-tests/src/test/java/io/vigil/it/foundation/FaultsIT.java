package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.apps.IdleApp;
import io.vigil.it.apps.QueryLoopApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.OtlpReceiver;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults around a running application. A bounded soak (about a minute): the application runs its
 * queries while the trace collector is up, slow (answers after 15 s, past the agent's 10 s
 * timeout), answering 503, gone, and back on the same port. And a JVM with no writable temporary
 * directory and an unwritable working directory.
 */
class FaultsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long PHASE_MILLIS = 8_000;
  /** QueryLoopApp runs about 50 queries a second; a third of that in every window proves no stall. */
  private static final long MIN_QUERIES_PER_WINDOW = 25;
  private static final long WINDOW_MILLIS = 1_500;
  private static final long HEAP_GROWTH_LIMIT = 16L * 1024 * 1024;

  @Test
  void theApplicationNeverWaitsOnACollectorThatIsSlowFailingOrGone() throws Exception {
    OtlpReceiver receiver = new OtlpReceiver();
    int collectorPort = receiver.port();
    try (AgentJvm app = AgentJvm.app(QueryLoopApp.class).otlp(receiver).start()) {
      app.awaitLine("query loop started", WAIT);
      app.await(() -> receiver.spans().size() > 0, WAIT, "spans exported while the collector is up");
      long heapBefore = liveHeapBytes(app);

      receiver.respondAfter(200, 15_000);
      assertKeepsRunning(app, "collector slow", PHASE_MILLIS + 6_000);
      receiver.respondWith(503);
      assertKeepsRunning(app, "collector answering 503", PHASE_MILLIS);
      receiver.close();
      assertKeepsRunning(app, "collector gone", PHASE_MILLIS);

      OtlpReceiver back = new OtlpReceiver(collectorPort);
      try {
        long returned = System.nanoTime();
        app.await(() -> back.spans().size() > 0, Duration.ofSeconds(15), "export resumes after the collector returns");
        long resumedMillis = (System.nanoTime() - returned) / 1_000_000;
        System.out.printf("export resumed %d ms after the collector returned%n", resumedMillis);
      } finally {
        back.close();
      }

      long heapAfter = liveHeapBytes(app);
      System.out.printf("live heap %d KiB before the faults, %d KiB after%n", heapBefore / 1024, heapAfter / 1024);
      assertTrue(heapAfter - heapBefore < HEAP_GROWTH_LIMIT, "heap grew by " + (heapAfter - heapBefore) / 1024 + " KiB");
      assertTrue(app.metrics().value("vigil_agent_export_failures_total") >= 3, "failures counted");
      assertTrue(app.metrics().value("vigil_agent_spans_dropped_total") > 0, "drops counted");
      assertEquals(200, app.get("/health/live").status());
      assertTrue(app.isAlive());
      assertFalse(app.output().contains("Exception in thread"), app.output());
    } finally {
      receiver.close();
    }
  }

  @Test
  void noWritableTemporaryDirectoryNorWorkingDirectoryIsOneLineAndTheApplicationStarts() {
    // procfs: nothing can be created there, not even by root, like a read-only file system.
    Path unwritable = Paths.get("/proc");
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .property("java.io.tmpdir", "/proc/sys")
        .workingDirectory(unwritable)
        .start()) {
      app.awaitLine("idle app started", WAIT);
      // The agent falls back to the directory of its jar and runs: metrics are served.
      assertEquals(200, app.get("/health/live").status());
      app.awaitLine("started in", WAIT);
      assertTrue(app.metrics().value("vigil_agent_info", "service_name", "IdleApp") == 1.0);
      List<String> agentProblems = new ArrayList<>();
      for (String line : app.outputLines()) {
        if (line.contains("WARN") || line.contains("ERROR") || line.contains("is off")) {
          agentProblems.add(line);
        }
      }
      assertEquals(List.of(), agentProblems);
    }
  }

  private static void assertKeepsRunning(AgentJvm app, String phase, long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    long previous = queriesDone(app);
    while (System.currentTimeMillis() < end) {
      Thread.sleep(WINDOW_MILLIS);
      long now = queriesDone(app);
      assertTrue(now - previous >= MIN_QUERIES_PER_WINDOW,
          phase + ": only " + (now - previous) + " queries in " + WINDOW_MILLIS + " ms");
      previous = now;
    }
    assertTrue(app.isAlive(), phase);
  }

  private static long queriesDone(AgentJvm app) {
    List<String> lines = app.outputLines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("queries done: ")) {
        return Long.parseLong(lines.get(i).substring("queries done: ".length()));
      }
    }
    return 0;
  }

  private static long liveHeapBytes(AgentJvm app) throws Exception {
    Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.run").redirectErrorStream(true).start();
    gc.getInputStream().readAllBytes();
    assertEquals(0, gc.waitFor());
    return (long) app.metrics().value("jvm_memory_bytes_used", "area", "heap");
  }
}
