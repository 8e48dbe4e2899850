package io.vigil.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The JDKs the instrumented applications run on: the build's JDK 17 and the Temurin 25 beside it. */
public enum Jdk {
  JDK17,
  JDK25;

  public Path javaExecutable() {
    Path home = this == JDK17
        ? Paths.get(System.getProperty("java.home"))
        : Paths.get(System.getProperty("vigil.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Path java = home.resolve("bin").resolve("java");
    if (!Files.isExecutable(java)) {
      throw new IllegalStateException(
          this + " not found at " + java + "; set -Dvigil.jdk25.home to a JDK 25 installation");
    }
    return java;
  }
}
