package io.vigil.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Puts the {@code bootstrap} module's facades on the bootstrap class path. They travel inside the
 * agent jar as a nested jar (so the agent stays one file); the JVM needs a real file, so it is
 * written to a file that is deleted when the JVM exits: in the temporary directory, or, where that
 * cannot be written (a read-only file system, a {@code java.io.tmpdir} that does not exist), next
 * to the agent jar. Where neither can be, starting fails with one message that names both
 * directories and the fix; the working directory is never written.
 */
final class BootstrapJar {

  static final String RESOURCE = "/io/vigil/agent/vigil-bootstrap.jar.bin";

  private BootstrapJar() {}

  static void appendTo(Instrumentation instrumentation) throws IOException {
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(write()));
  }

  private static File write() throws IOException {
    List<String> failures = new ArrayList<>(2);
    for (File directory : candidates()) {
      File file = null;
      try {
        file = File.createTempFile("vigil-bootstrap-", ".jar", directory);
        file.deleteOnExit();
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
          if (in == null) {
            throw new IllegalStateException("the agent jar lacks " + RESOURCE + "; it is damaged");
          }
          Files.copy(in, file.toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
      } catch (IOException | SecurityException e) {
        if (file != null) {
          file.delete();
        }
        failures.add(directory + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
      }
    }
    throw new IOException("it could not write its bootstrap jar to the temporary directory or next to the agent jar: "
        + String.join(", ", failures) + ". Give the JVM a writable directory with -Djava.io.tmpdir=<dir>");
  }

  private static List<File> candidates() {
    List<File> candidates = new ArrayList<>(2);
    candidates.add(new File(System.getProperty("java.io.tmpdir", ".")));
    try {
      CodeSource source = BootstrapJar.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        File jarDirectory = new File(source.getLocation().toURI()).getParentFile();
        if (jarDirectory != null) {
          candidates.add(jarDirectory);
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // No location to fall back to: the temporary directory is the only candidate.
    }
    return candidates;
  }
}
