package io.vigil.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the {@code bootstrap} module's facades on the bootstrap class path. They travel inside the
 * agent jar as a nested jar (so the agent stays one file); the JVM needs a real file, so it is
 * written to a temporary file that is deleted when the JVM exits.
 */
final class BootstrapJar {

  static final String RESOURCE = "/io/vigil/agent/vigil-bootstrap.jar.bin";

  private BootstrapJar() {}

  static void appendTo(Instrumentation instrumentation) throws IOException {
    File file = File.createTempFile("vigil-bootstrap-", ".jar");
    file.deleteOnExit();
    try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("the agent jar lacks " + RESOURCE);
      }
      Files.copy(in, file.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(file));
  }
}
