package io.vigil.agent;

import java.io.File;
import java.util.jar.JarFile;

/**
 * What can be told about the application from its command line: the default service name (the
 * jar's name or the main class's simple name) and, for {@code -jar}, its manifest version.
 */
final class ApplicationIdentity {

  private final String name;
  private final String version;

  private ApplicationIdentity(String name, String version) {
    this.name = name;
    this.version = version;
  }

  static ApplicationIdentity fromCommand(String javaCommand) {
    if (javaCommand == null || javaCommand.trim().isEmpty()) {
      return new ApplicationIdentity("unknown_service:java", null);
    }
    String first = javaCommand.trim().split("\\s+", 2)[0];
    if (first.endsWith(".jar")) {
      String fileName = new File(first).getName();
      return new ApplicationIdentity(fileName.substring(0, fileName.length() - 4), jarVersion(first));
    }
    int dot = first.lastIndexOf('.');
    String simple = dot >= 0 ? first.substring(dot + 1) : first;
    return new ApplicationIdentity(simple.isEmpty() ? "unknown_service:java" : simple, null);
  }

  private static String jarVersion(String path) {
    try (JarFile jar = new JarFile(path)) {
      java.util.jar.Manifest manifest = jar.getManifest();
      return manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
    } catch (Exception e) {
      return null;
    }
  }

  String name() {
    return name;
  }

  /** Null when unknown. */
  String version() {
    return version;
  }
}
