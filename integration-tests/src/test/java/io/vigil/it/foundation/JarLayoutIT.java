package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.harness.AgentJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/** The one file users copy: what is in it, and that nothing third-party leaks unrelocated. */
class JarLayoutIT {

  @Test
  void everyClassIsUnderIoVigil() throws IOException {
    List<String> leaks = new ArrayList<>();
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (name.endsWith(".class") && !name.startsWith("io/vigil/")) {
          leaks.add(name);
        }
      }
    }
    assertEquals(List.of(), leaks);
  }

  @Test
  void serviceFilesNameOnlyRelocatedOrOwnTypes() throws IOException {
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (entry.getName().startsWith("META-INF/services/") && !entry.isDirectory()) {
          assertTrue(entry.getName().startsWith("META-INF/services/io.vigil."), entry.getName());
          String content = new String(jar.getInputStream(entry).readAllBytes());
          for (String line : content.split("\n")) {
            String provider = line.trim();
            if (!provider.isEmpty() && !provider.startsWith("#")) {
              assertTrue(provider.startsWith("io.vigil."), entry.getName() + " names " + provider);
              assertNotNull(jar.getEntry(provider.replace('.', '/') + ".class"), provider + " is missing");
            }
          }
        }
      }
    }
  }

  @Test
  void manifestDeclaresTheAgent() throws IOException {
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("io.vigil.agent.VigilAgent", main.getValue("Premain-Class"));
      assertEquals("io.vigil.agent.VigilAgent", main.getValue("Agent-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertEquals("true", main.getValue("Can-Redefine-Classes"));
    }
  }

  @Test
  void bootstrapFacadesTravelAsANestedJarOnly() throws IOException {
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("io/vigil/bootstrap/")),
          "bootstrap classes loaded from the agent jar would come from the wrong loader");
      JarEntry nested = jar.getJarEntry("io/vigil/agent/vigil-bootstrap.jar.bin");
      assertNotNull(nested);
      List<String> classes = new ArrayList<>();
      try (InputStream in = jar.getInputStream(nested); JarInputStream bootstrap = new JarInputStream(in)) {
        for (JarEntry e; (e = bootstrap.getNextJarEntry()) != null; ) {
          if (e.getName().endsWith(".class")) {
            classes.add(e.getName());
          }
        }
      }
      assertTrue(classes.contains("io/vigil/bootstrap/AdviceErrors.class"), classes.toString());
      assertTrue(classes.stream().allMatch(c -> c.startsWith("io/vigil/bootstrap/")), classes.toString());
    }
  }

  @Test
  void everyClassTargetsJava8() throws IOException {
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (entry.getName().endsWith(".class")) {
          byte[] header = jar.getInputStream(entry).readNBytes(8);
          int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
          assertTrue(major <= 52, entry.getName() + " has class file version " + major);
        }
      }
    }
  }

  @Test
  void staysSmall() throws IOException {
    long size = Files.size(AgentJvm.agentJar());
    // Issue 7's budget: the jar is copied into every image.
    assertTrue(size <= 5L * 1024 * 1024, "vigil-agent.jar is " + size + " bytes");
  }
}
