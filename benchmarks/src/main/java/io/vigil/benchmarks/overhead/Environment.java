package io.vigil.benchmarks.overhead;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/** The machine and the versions a result was measured with, so a reader can tell what it applies to. */
record Environment(
    int processors,
    long memoryMiB,
    String kernel,
    String javaVersion,
    String vigilCommit,
    long vigilJarBytes,
    String otelVersion,
    long otelJarBytes,
    String tomcat,
    String hikari,
    String h2) {

  static Environment describe(HarnessOptions options) throws IOException, InterruptedException {
    return new Environment(
        Runtime.getRuntime().availableProcessors(),
        memTotalKb() / 1024,
        Files.readString(Paths.get("/proc/sys/kernel/osrelease")).trim(),
        run(options.java().toString(), "-version").replace('\n', ' ').trim(),
        currentCommit(),
        Files.size(options.vigilAgent()),
        manifestVersion(options.otelAgent()),
        Files.size(options.otelAgent()),
        tomcatVersion(options.demoJar()),
        pomVersion(options.demoJar(), "com.zaxxer", "HikariCP"),
        h2Version(options.demoJar()));
  }

  private static long memTotalKb() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.substring(9).replace("kB", "").trim());
      }
    }
    return -1;
  }

  /** The commit the agent was built from, marked when its sources differ from it. */
  private static String currentCommit() {
    try {
      String commit = run("git", "rev-parse", "--short=12", "HEAD").trim();
      String dirty = run("git", "status", "--porcelain", "--", "agent/src", "bootstrap/src", "instrumentation-api/src",
          "instrumentation-servlet/src", "instrumentation-jdbc/src", "instrumentation-hikari/src").trim();
      return dirty.isEmpty() ? commit : commit + " (agent sources modified)";
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  private static String manifestVersion(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      String v = file.getManifest().getMainAttributes().getValue("Implementation-Version");
      return v == null ? jar.getFileName().toString() : v;
    }
  }

  private static String pomVersion(Path jar, String group, String artifact) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      ZipEntry entry = file.getEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties");
      if (entry == null) {
        return "?";
      }
      Properties p = new Properties();
      p.load(file.getInputStream(entry));
      return p.getProperty("version", "?");
    }
  }

  /** Tomcat's own record of its version; the shaded demo jar has no pom.properties for it. */
  private static String tomcatVersion(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      ZipEntry entry = file.getEntry("org/apache/catalina/util/ServerInfo.properties");
      if (entry == null) {
        return "?";
      }
      Properties p = new Properties();
      p.load(file.getInputStream(entry));
      return p.getProperty("server.number", "?");
    }
  }

  /** H2 keeps its version only in code: {@code org.h2.engine.Constants.FULL_VERSION}. */
  private static String h2Version(Path jar) {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      return String.valueOf(Class.forName("org.h2.engine.Constants", true, loader).getField("FULL_VERSION").get(null));
    } catch (IOException | ReflectiveOperationException | LinkageError e) {
      return "?";
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": " + out);
    }
    return out;
  }
}
