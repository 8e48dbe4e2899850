package io.vigil.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

/**
 * The demo application (examples/demo: embedded Tomcat, HikariCP, H2) run from its jar with the
 * agent attached, as a user runs it: servlet, JDBC and a pool in one process.
 */
public final class DemoApp {

  private static final Duration START = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private DemoApp() {}

  /** Starts the demo on {@code port}, exporting spans to {@code receiver}; returns once it serves. */
  public static AgentJvm start(int port, OtlpReceiver receiver) {
    return start(port, receiver, java.util.Map.of());
  }

  /** As {@link #start(int, OtlpReceiver)}, with extra system properties ({@code vigil.*} settings). */
  public static AgentJvm start(int port, OtlpReceiver receiver, java.util.Map<String, String> properties) {
    Path jar = Paths.get(System.getProperty("vigil.demo.jar", "../examples/demo/target/vigil-demo.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("demo jar not built: " + jar);
    }
    AgentJvm.Builder builder = AgentJvm.app("io.vigil.demo.DemoApplication")
        .classpath(List.of(jar.toAbsolutePath().toString()))
        .args("--port=" + port)
        .otlp(receiver);
    properties.forEach(builder::property);
    AgentJvm demo = builder.start();
    demo.awaitLine("Vigil demo serving", START);
    return demo;
  }

  /** GET {@code path} on the demo's own port; returns the status. */
  public static int get(int port, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
