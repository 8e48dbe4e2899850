package io.vigil.agent;

import java.io.InputStream;
import java.util.Properties;

/** The agent's version, written into the jar by the build. */
final class AgentVersion {

  private AgentVersion() {}

  static String get() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }
}
