package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The advice is inlined into the container's classes, so it must name {@code javax.servlet} or
 * {@code jakarta.servlet} types directly: the two packages hold the same advice compiled against
 * either namespace. The jakarta copy is the original; this test derives the javax copy from it
 * (namespace and {@code Jakarta}/{@code Javax} names swapped) and fails on any other difference,
 * so a fix made in one copy cannot be forgotten in the other.
 */
class JavaxAdviceMirrorsJakartaTest {

  private static final Path SOURCES = Paths.get("src/main/java/io/vigil/servlet");
  private static final Path JAKARTA = SOURCES.resolve("jakarta");
  private static final Path JAVAX = SOURCES.resolve("javax");

  @Test
  void everyJakartaAdviceHasAJavaxTwinAndViceVersa() throws IOException {
    Set<String> fromJakarta = new TreeSet<>();
    for (String name : fileNames(JAKARTA)) {
      fromJakarta.add(toJavax(name));
    }
    assertFalse(fromJakarta.isEmpty(), "no advice found under " + JAKARTA.toAbsolutePath());
    assertEquals(fromJakarta, fileNames(JAVAX));
  }

  @Test
  void javaxAdviceIsTheJakartaAdviceWithTheNamespaceSwapped() throws IOException {
    for (String name : fileNames(JAKARTA)) {
      String derived = toJavax(read(JAKARTA.resolve(name)));
      Path twin = JAVAX.resolve(toJavax(name));
      assertEquals(derived, read(twin), twin + " differs from " + JAKARTA.resolve(name)
          + " beyond the namespace; make the same change in both");
    }
  }

  @Test
  void theSwapLeavesNoJakartaNameBehind() throws IOException {
    for (String name : fileNames(JAKARTA)) {
      String derived = toJavax(read(JAKARTA.resolve(name)));
      assertFalse(derived.contains("jakarta") || derived.contains("Jakarta"),
          name + " names jakarta in a way the swap does not cover: " + derived);
    }
  }

  /** The one mapping between the copies: package, imports and class names. */
  static String toJavax(String text) {
    return text
        .replace("io.vigil.servlet.jakarta", "io.vigil.servlet.javax")
        .replace("jakarta.servlet", "javax.servlet")
        .replace("Jakarta", "Javax");
  }

  private static Set<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".java"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
