package io.vigil.benchmarks.overhead;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo application in its own JVM: launched with the given flags, its output in a file, and
 * its start-up time measured from just before the process is created to the first HTTP 200 it
 * answers on {@code GET /}.
 */
final class DemoProcess implements AutoCloseable {

  private static final long POLL_MILLIS = 10;

  private final Process process;
  private final long launchedNanos;
  private final int port;

  private DemoProcess(Process process, long launchedNanos, int port) {
    this.process = process;
    this.launchedNanos = launchedNanos;
    this.port = port;
  }

  static DemoProcess launch(Path java, List<String> jvmArgs, Path demoJar, int port, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(demoJar.toString());
    command.add("--port=" + port);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Nothing from the caller's environment may configure either agent behind the harness's back.
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("VIGIL_") || k.equals("JAVA_TOOL_OPTIONS"));
    long launched = System.nanoTime();
    return new DemoProcess(builder.start(), launched, port);
  }

  long pid() {
    return process.pid();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Milliseconds from launch to the first 200; polls every 10 ms, so that is the resolution. */
  long awaitFirstOk(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the demo exited with " + process.exitValue() + " before answering");
      }
      if (status() == 200) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos);
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IOException("the demo did not answer 200 within " + timeout);
  }

  /** One {@code GET /} on a fresh connection; -1 while nothing listens. */
  private int status() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      String[] parts = line.toString().split(" ");
      return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** SIGTERM, so the agents' shutdown hooks flush what they hold; killed after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
