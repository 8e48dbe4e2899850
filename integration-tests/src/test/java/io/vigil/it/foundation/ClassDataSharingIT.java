package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.DemoApp;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.Jdk;
import io.vigil.it.harness.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Class data sharing stays with the application when Vigil is attached: the demo (embedded Tomcat,
 * HikariCP, H2) trains its own dynamic archive without the agent ({@code jcmd VM.cds dynamic_dump}),
 * then runs from it once without and once with the agent; with the agent, at least 95 % as many
 * classes come from the archive's top layer (the application's own), the pages answer, the agent
 * measures them, and the JVM prints no warning that sharing was switched off for the application's
 * class loaders. The classes the agent weaves are the few that may not come from the archive.
 */
class ClassDataSharingIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String[] PAGES = {"/", "/owners", "/owners/1", "/visits"};

  @TempDir
  Path work;

  @ParameterizedTest
  @EnumSource(Jdk.class)
  void theApplicationsArchiveServesAsManyOfItsClassesWithTheAgent(Jdk jdk) throws IOException {
    Path archive = work.resolve("demo-" + jdk + ".jsa");
    // Dumped while it runs (ArchiveClassesAtExit would need the application to exit by itself).
    try (Demo training = demo(jdk, false, "-XX:+RecordDynamicDumpInfo")) {
      training.visitPages();
      dynamicDump(jdk, training.jvm().pid(), archive);
    }

    Path withoutLog = work.resolve("without.log");
    long without;
    try (Demo app = demo(jdk, false, "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load:file=" + withoutLog)) {
      app.visitPages();
      without = fromArchiveTop(withoutLog);
    }

    Path withLog = work.resolve("with.log");
    try (Demo demo = demo(jdk, true, "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load:file=" + withLog)) {
      demo.visitPages();
      AgentJvm app = demo.jvm();
      long with = fromArchiveTop(withLog);
      System.out.printf("%s: classes from the application's archive without the agent %d, with it %d%n", jdk, without, with);
      assertTrue(without > 1000, "the training archived too little to test anything: " + without);
      assertTrue(with >= without * 95 / 100, "with the agent " + with + " classes came from the archive, without it " + without);
      app.await(() -> served(app, "/owners") && app.metrics().has("db_client_operation_duration_seconds_count"),
          WAIT, "the agent's request and statement metrics");
      assertFalse(app.output().contains("Sharing is only supported"), app.output());
      // JDK 24 and later: any -javaagent adds the java.instrument module, which an archive trained
      // without an agent did not have; the JVM says so and keeps serving the archive's classes
      // (counted above), without its archived module graph. Nothing else may go wrong.
      List<String> cdsErrors = app.outputLines().stream()
          .filter(l -> l.contains("[error][cds]"))
          .filter(l -> jdk == Jdk.JDK17 || !(l.contains("An error has occurred while processing the shared archive")
              || l.contains("jdk.module.addmods: java.instrument specified during runtime but not during dump time")
              || l.contains("Disabling optimized module handling")))
          .toList();
      assertEquals(List.of(), cdsErrors);
    }
  }

  private static void dynamicDump(Jdk jdk, long pid, Path archive) throws IOException {
    Path jcmd = jdk.javaExecutable().resolveSibling("jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.cds", "dynamic_dump", archive.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      assertEquals(0, process.waitFor(), output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 0, "no archive written: " + output);
  }

  private static Demo demo(Jdk jdk, boolean agent, String... jvmOptions) {
    Path jar = Paths.get(System.getProperty("vigil.demo.jar", "../examples/demo/target/vigil-demo.jar"));
    int port = FreePort.next();
    AgentJvm.Builder builder = AgentJvm.app("io.vigil.demo.DemoApplication")
        .jdk(jdk)
        .classpath(List.of(jar.toAbsolutePath().toString()))
        .args("--port=" + port);
    if (!agent) {
      builder.withoutAgent();
    }
    for (String option : jvmOptions) {
      builder.jvmOption(option);
    }
    AgentJvm app = builder.start();
    app.awaitLine("Vigil demo serving", WAIT);
    return new Demo(app, port);
  }

  private record Demo(AgentJvm jvm, int port) implements AutoCloseable {
    void visitPages() {
      for (String page : PAGES) {
        assertEquals(200, DemoApp.get(port, page), page);
      }
    }

    @Override
    public void close() {
      jvm.close();
    }
  }

  private static boolean served(AgentJvm app, String route) {
    return app.metrics().find("http_server_request_duration_seconds_count").stream()
        .map(Sample::labels)
        .anyMatch(labels -> route.equals(labels.get("http_route")) && "200".equals(labels.get("http_response_status_code")));
  }

  /** Lines of {@code -Xlog:class+load} for classes served from the dynamic (top) archive layer. */
  private static long fromArchiveTop(Path log) {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(l -> l.contains("source: shared objects file (top)")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
