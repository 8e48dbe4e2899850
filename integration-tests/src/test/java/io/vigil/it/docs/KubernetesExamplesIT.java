package io.vigil.it.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifests in examples/kubernetes parse as YAML and fit together: the agent path in
 * JAVA_TOOL_OPTIONS is where the init container copies the jar, on a shared emptyDir; the probes
 * hit the agent's open paths on its named port; the password file and the ServiceMonitors name the
 * Secret and keys that exist; the ServiceMonitors select the Service and its port. No cluster runs
 * here (no kubectl, no Docker on the build machine), so this is what can be checked of them.
 */
class KubernetesExamplesIT {

  private static final Path DIR = Paths.get(System.getProperty("vigil.repo.root", ".."), "examples", "kubernetes");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<JsonNode> documents(String file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(DIR.resolve(file).toFile())) {
      while (docs.hasNext()) {
        out.add(docs.next());
      }
    }
    return out;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  private static JsonNode named(JsonNode array, String name) {
    for (JsonNode item : array) {
      if (item.path("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError("nothing named " + name + " in " + array);
  }

  private static String mountOf(JsonNode container, String volume) {
    return named(container.path("volumeMounts"), volume).path("mountPath").asText();
  }

  @Test
  void theDeploymentAddsTheAgentFromAnInitContainerAndProbesItsOpenPaths() throws IOException {
    List<JsonNode> docs = documents("deployment.yaml");
    JsonNode pod = kind(docs, "Deployment").at("/spec/template/spec");
    JsonNode init = named(pod.path("initContainers"), "vigil-agent");
    JsonNode app = named(pod.path("containers"), "app");

    String options = named(app.path("env"), "JAVA_TOOL_OPTIONS").path("value").asText();
    assertTrue(options.startsWith("-javaagent:"), options);
    Path agent = Paths.get(options.substring("-javaagent:".length()));
    assertEquals(agent.toString(), init.path("command").get(2).asText(), "the init container copies the jar there");
    assertEquals(agent.getParent().toString(), mountOf(app, "vigil-agent"));
    assertEquals(agent.getParent().toString(), mountOf(init, "vigil-agent"));
    assertTrue(named(pod.path("volumes"), "vigil-agent").has("emptyDir"));
    String source = init.path("command").get(1).asText();
    assertTrue(Files.readString(DIR.resolve("Dockerfile.agent-init")).contains("COPY vigil-agent.jar " + source),
        "the init image holds the jar where the init container copies it from");

    assertEquals(9464, named(app.path("ports"), "vigil").path("containerPort").asInt());
    assertEquals("/health/ready", app.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/health/live", app.at("/livenessProbe/httpGet/path").asText());
    assertEquals("vigil", app.at("/readinessProbe/httpGet/port").asText());
    assertEquals("vigil", app.at("/livenessProbe/httpGet/port").asText());
    JsonNode annotations = kind(docs, "Deployment").at("/spec/template/metadata/annotations");
    assertEquals("9464", annotations.path("prometheus.io/port").asText());
    assertEquals("/metrics", annotations.path("prometheus.io/path").asText());

    JsonNode secret = kind(docs, "Secret");
    String secretName = secret.at("/metadata/name").asText();
    Path passwordFile = Paths.get(named(app.path("env"), "VIGIL_PROMETHEUS_AUTH_PASSWORD_FILE").path("value").asText());
    assertEquals(passwordFile.getParent().toString(), mountOf(app, "vigil-auth"));
    JsonNode authVolume = named(pod.path("volumes"), "vigil-auth").path("secret");
    assertEquals(secretName, authVolume.path("secretName").asText());
    assertEquals(passwordFile.getFileName().toString(), authVolume.at("/items/0/path").asText());
    assertTrue(secret.path("stringData").has(authVolume.at("/items/0/key").asText()));
    assertEquals(secretName, named(app.path("env"), "VIGIL_PROMETHEUS_AUTH_USERNAME").at("/valueFrom/secretKeyRef/name").asText());

    JsonNode service = kind(docs, "Service");
    assertEquals("vigil", named(service.at("/spec/ports"), "vigil").path("targetPort").asText());
    assertEquals(kind(docs, "Deployment").at("/spec/template/metadata/labels"), service.at("/spec/selector"));
  }

  @Test
  void theServiceMonitorsSelectTheServiceAndUseTheSecretThatExists() throws IOException {
    List<JsonNode> deployment = documents("deployment.yaml");
    JsonNode service = kind(deployment, "Service");
    JsonNode secret = kind(deployment, "Secret");
    for (String file : List.of("servicemonitor.yaml", "servicemonitor-tls.yaml")) {
      JsonNode monitor = kind(documents(file), "ServiceMonitor");
      assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText(), file);
      monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(label ->
          assertEquals(label.getValue(), service.at("/metadata/labels").path(label.getKey()), file));
      JsonNode endpoint = monitor.at("/spec/endpoints/0");
      named(service.at("/spec/ports"), endpoint.path("port").asText());
      assertEquals("/metrics", endpoint.path("path").asText(), file);
      for (String part : List.of("username", "password")) {
        JsonNode ref = endpoint.at("/basicAuth/" + part);
        assertEquals(secret.at("/metadata/name").asText(), ref.path("name").asText(), file);
        assertTrue(secret.path("stringData").has(ref.path("key").asText()), file);
      }
    }
    JsonNode tls = kind(documents("servicemonitor-tls.yaml"), "ServiceMonitor").at("/spec/endpoints/0");
    assertEquals("https", tls.path("scheme").asText());
    assertEquals("ca.crt", tls.at("/tlsConfig/ca/secret/key").asText());
  }
}
