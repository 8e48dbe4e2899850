package io.vigil.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An application in its own JVM with {@code -javaagent:} the jar the build just produced (never
 * the agent's classes on a class path), on a free agent port. Gives tests what a user sees: the
 * {@code /metrics} text parsed, the health JSON, the process's output.
 */
public final class AgentJvm implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private AgentJvm(Process process, int port) {
    this.process = process;
    this.port = port;
    this.reader = new Thread(this::readOutput, "app-output-" + process.pid());
    this.reader.setDaemon(true);
    this.reader.start();
  }

  public static Builder app(Class<?> mainClass) {
    return new Builder(mainClass.getName());
  }

  /** An application whose main class is not on this module's class path (give its class path). */
  public static Builder app(String mainClass) {
    return new Builder(mainClass);
  }

  /** The agent jar under test, as built by the agent module in this reactor. */
  public static Path agentJar() {
    Path jar = Paths.get(System.getProperty("vigil.agent.jar", "../agent/target/vigil-agent.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("agent jar not built: " + jar);
    }
    return jar;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process wrote to stdout and stderr so far, in order. */
  public String output() {
    return String.join("\n", output);
  }

  public List<String> outputLines() {
    return List.copyOf(output);
  }

  /** Waits until a line containing {@code text} appears; fails with the output if it does not. */
  public String awaitLine(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : output) {
        if (line.contains(text)) {
          return line;
        }
      }
      sleep(50);
    }
    throw new AssertionError("no output line containing '" + text + "' within " + timeout + ". Output:\n" + output());
  }

  public void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      sleep(100);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what + ". Output:\n" + output());
  }

  public HttpResult get(String path) {
    return get(path, null);
  }

  public HttpResult get(String path, String accept) {
    return get(path, accept, null);
  }

  /** GET on the agent port with an {@code Authorization} header, for a port behind a password. */
  public HttpResult getAuthorized(String path, String authorization) {
    return get(path, null, authorization);
  }

  private HttpResult get(String path, String accept, String authorization) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10));
      if (accept != null) {
        request.header("Accept", accept);
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new HttpResult(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " on the agent port failed. Output:\n" + output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Scrapes {@code /metrics} as Prometheus does by default (text 0.0.4) and parses it strictly.
   * Fails when it shows a series that docs/metrics.md does not document, so that no test can see a
   * metric that users cannot look up.
   */
  public MetricsSnapshot metrics() {
    HttpResult result = get("/metrics");
    if (result.status() != 200) {
      throw new AssertionError("/metrics answered " + result.status() + ": " + result.body());
    }
    MetricsSnapshot snapshot = ExpositionParser.parse(result.body(), false);
    MetricReference.load().assertDocuments(snapshot);
    return snapshot;
  }

  /**
   * Scrapes {@code /metrics} asking for OpenMetrics, as Prometheus does with exemplar storage on;
   * checked against docs/metrics.md like {@link #metrics()}.
   */
  public MetricsSnapshot openMetrics() {
    HttpResult result = get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    if (result.status() != 200) {
      throw new AssertionError("/metrics answered " + result.status() + ": " + result.body());
    }
    MetricsSnapshot snapshot = ExpositionParser.parse(result.body(), true);
    MetricReference.load().assertDocuments(snapshot);
    return snapshot;
  }

  public JsonNode json(HttpResult result) {
    try {
      return JSON.readTree(result.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + result.body(), e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a normal exit; returns the exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the application did not exit within " + timeout + ". Output:\n" + output());
      }
      reader.join(2000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.add(line);
      }
    } catch (IOException ignored) {
      // The process is gone.
    }
  }

  private void waitUntilLive() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the application exited with " + process.exitValue() + " before the agent port"
            + " answered. Output:\n" + output());
      }
      try {
        HttpResponse<Void> response = HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                .timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(50);
    }
    close();
    throw new AssertionError("the agent port " + port + " did not answer within " + START_TIMEOUT + ". Output:\n" + output());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public record HttpResult(int status, String body, String contentType) {}

  /** How to start the application. */
  public static final class Builder {
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private java.nio.file.Path workingDirectory;
    private Jdk jdk = Jdk.JDK17;
    private boolean withAgent = true;
    private String agentArgs;
    private Integer port;
    private boolean waitForAgentPort = true;
    private List<String> classpath;

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    public Builder jdk(Jdk value) {
      jdk = value;
      return this;
    }

    public Builder withoutAgent() {
      withAgent = false;
      waitForAgentPort = false;
      return this;
    }

    public Builder agentArgs(String value) {
      agentArgs = value;
      return this;
    }

    public Builder property(String key, String value) {
      systemProperties.put(key, value);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    public Builder args(String... values) {
      args.addAll(List.of(values));
      return this;
    }

    /** The agent port; a free one by default, passed as {@code -Dvigil.prometheus.port}. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** Do not pass {@code -Dvigil.prometheus.port}: the configuration under test chooses it. */
    public Builder portFromConfiguration(int expectedPort) {
      port = -expectedPort;
      return this;
    }

    /** Start without waiting for {@code /health/live} (for tests where the port cannot come up). */
    /** Where the application runs; the test JVM's own working directory by default. */
    public Builder workingDirectory(java.nio.file.Path value) {
      workingDirectory = value;
      return this;
    }

    public Builder dontWaitForAgentPort() {
      waitForAgentPort = false;
      return this;
    }

    public Builder otlp(OtlpReceiver receiver) {
      systemProperties.put("vigil.otlp.endpoint", receiver.endpoint());
      return this;
    }

    /** Replaces the default class path (the test classes and this module's test dependencies). */
    public Builder classpath(List<String> entries) {
      classpath = entries;
      return this;
    }

    public AgentJvm start() {
      int agentPort;
      boolean passPort;
      if (port == null) {
        agentPort = FreePort.next();
        passPort = true;
      } else if (port < 0) {
        agentPort = -port;
        passPort = false;
      } else {
        agentPort = port;
        passPort = true;
      }
      List<String> command = new ArrayList<>();
      command.add(jdk.javaExecutable().toString());
      command.add("-Xmx256m");
      command.add("-XX:+UseSerialGC");
      command.add("-XX:TieredStopAtLevel=1");
      if (withAgent) {
        command.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
        if (passPort) {
          command.add("-Dvigil.prometheus.port=" + agentPort);
        }
      }
      command.addAll(jvmOptions);
      systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
      command.add("-cp");
      command.add(String.join(java.io.File.pathSeparator, classpath == null ? defaultClasspath() : classpath));
      command.add(mainClass);
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_") || k.startsWith("OTEL_"));
      if (withAgent && !systemProperties.containsKey("vigil.otlp.endpoint")) {
        // No test sends traces anywhere it did not ask for. The lowest-precedence source, so a
        // test's own file, environment or system property still decides.
        builder.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + FreePort.next());
      }
      builder.environment().putAll(env);
      AgentJvm jvm;
      try {
        jvm = new AgentJvm(builder.start(), agentPort);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + command, e);
      }
      if (waitForAgentPort) {
        jvm.waitUntilLive();
      }
      return jvm;
    }

    public static List<String> defaultClasspath() {
      List<String> entries = new ArrayList<>();
      entries.add(System.getProperty("vigil.app.test.classes", "target/test-classes"));
      Path file = Paths.get(System.getProperty("vigil.app.classpath.file", "target/app-classpath.txt"));
      try {
        String text = Files.readString(file).trim();
        if (!text.isEmpty()) {
          entries.addAll(List.of(text.split(java.io.File.pathSeparator)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("missing " + file + "; run the build through Maven", e);
      }
      return entries;
    }
  }
}
