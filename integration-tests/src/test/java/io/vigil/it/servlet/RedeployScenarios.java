package io.vigil.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricsSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redeploys without leaks: one embedded Tomcat with the agent attached deploys a web application
 * (its own classes and SLF4J in WEB-INF), serves it requests and undeploys it, {@value #CYCLES}
 * times ({@code RedeployApp}). Afterwards no class loader of an undeployed web application is
 * reachable (class histogram, which collects first) and metaspace no longer grows from the tenth
 * cycle to the last. One JVM per Tomcat.
 */
abstract class RedeployScenarios {

  private static final int CYCLES = 30;
  private static final String WEBAPP_LOADER = "org.apache.catalina.loader.ParallelWebappClassLoader";
  /** One web application's classes take a few hundred KiB of metaspace; twenty leaked, megabytes. */
  private static final long METASPACE_GROWTH_LIMIT = 1024 * 1024;

  /** The folder under {@code integration-tests/apps/}. */
  abstract String flavor();

  @Test
  void undeployedWebappsLeaveNoClassLoaderBehind() throws Exception {
    Path dir = Paths.get(System.getProperty("vigil.servlet.apps.dir", "apps")).resolve(flavor()).resolve("target");
    List<String> classpath = new ArrayList<>();
    classpath.add(dir.resolve("classes").toString());
    classpath.addAll(List.of(Files.readString(dir.resolve("app-classpath.txt")).trim().split(java.io.File.pathSeparator)));
    int port = FreePort.next();
    try (AgentJvm app = AgentJvm.app("io.vigil.it.servletapp.RedeployApp")
        .classpath(classpath)
        .args("--port=" + port, "--cycles=" + CYCLES)
        .start()) {
      app.awaitLine("redeploys done", Duration.ofSeconds(240));
      MetricsSnapshot metrics = app.metrics();
      // The agent saw every deployment's requests: it was attached and working throughout.
      assertTrue(metrics.value("http_server_request_duration_seconds_count", "http_route", "/app" + CYCLES + "/hello") >= 5);

      long loaders = liveInstances(app, WEBAPP_LOADER);
      long tenth = metaspace(app, 10);
      long last = metaspace(app, CYCLES);
      System.out.printf("%s: %d web application class loaders live after %d redeploys; metaspace %d KiB after 10,"
          + " %d KiB after %d%n", flavor(), loaders, CYCLES, tenth / 1024, last / 1024, CYCLES);
      assertEquals(0, loaders, "class loaders of undeployed web applications are still reachable");
      assertTrue(last - tenth < METASPACE_GROWTH_LIMIT, "metaspace grew by " + (last - tenth) / 1024 + " KiB");
    }
  }

  /** Live instances of a class, from {@code jcmd GC.class_histogram} (which collects first). */
  private static long liveInstances(AgentJvm app, String className) throws Exception {
    Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
    Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.class_histogram")
        .redirectErrorStream(true)
        .start();
    String out = new String(histogram.getInputStream().readAllBytes());
    assertEquals(0, histogram.waitFor(), out);
    long instances = 0;
    for (String line : out.split("\n")) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length >= 4 && columns[3].equals(className)) {
        instances += Long.parseLong(columns[1]);
      }
    }
    return instances;
  }

  private static long metaspace(AgentJvm app, int cycle) {
    String line = app.awaitLine("metaspace after " + cycle + ": ", Duration.ofSeconds(1));
    return Long.parseLong(line.substring(line.indexOf(": ") + 2).trim());
  }
}
