package io.vigil.agent.trace;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.vigil.api.config.VigilConfig;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

/**
 * The resource every span carries: the SDK's {@code telemetry.sdk.*}, what can be detected
 * cheaply about this process and host, then the user's {@code resource.attributes} /
 * {@code OTEL_RESOURCE_ATTRIBUTES}, and last {@code service.name}, which always wins.
 */
final class ResourceFactory {

  private ResourceFactory() {}

  static Resource create(VigilConfig config, String agentVersion, String serviceVersion) {
    AttributesBuilder detected = Attributes.builder();
    String host = hostName();
    if (host != null) {
      detected.put("host.name", host);
    }
    long pid = pid();
    if (pid > 0) {
      detected.put("process.pid", pid);
    }
    detected.put("process.runtime.name", System.getProperty("java.runtime.name", "unknown"));
    detected.put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"));
    detected.put("telemetry.distro.name", "vigil");
    detected.put("telemetry.distro.version", agentVersion);
    if (serviceVersion != null) {
      detected.put("service.version", serviceVersion);
    }

    AttributesBuilder user = Attributes.builder();
    for (Map.Entry<String, String> attribute : config.resourceAttributes().entrySet()) {
      user.put(attribute.getKey(), attribute.getValue());
    }
    return Resource.getDefault()
        .merge(Resource.create(detected.build()))
        .merge(Resource.create(user.build()))
        .merge(Resource.create(Attributes.builder().put("service.name", config.serviceName()).build()));
  }

  /**
   * Never {@code InetAddress.getLocalHost()}: it can wait seconds on DNS in a badly configured
   * container, and this runs in premain.
   */
  private static String hostName() {
    try {
      byte[] name = Files.readAllBytes(Paths.get("/proc/sys/kernel/hostname"));
      String host = new String(name, StandardCharsets.UTF_8).trim();
      if (!host.isEmpty()) {
        return host;
      }
    } catch (Exception ignored) {
      // Not Linux; fall through to the environment.
    }
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv == null) {
      fromEnv = System.getenv("COMPUTERNAME");
    }
    return fromEnv;
  }

  private static long pid() {
    // "pid@host" on every JVM since 5; ProcessHandle would need Java 9.
    String name = ManagementFactory.getRuntimeMXBean().getName();
    int at = name.indexOf('@');
    try {
      return Long.parseLong(at > 0 ? name.substring(0, at) : name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
