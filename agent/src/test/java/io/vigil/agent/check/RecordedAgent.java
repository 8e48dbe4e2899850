package io.vigil.agent.check;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for an agent port on 127.0.0.1: answers {@code /health} and {@code /api/summary} with
 * recorded JSON documents (test resources written to the documented summary shape) and records what
 * the check sent.
 */
final class RecordedAgent implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  private RecordedAgent(HttpServer server) {
    this.server = server;
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.add(exchange.getRequestURI().toString());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization == null ? "" : authorization);
      byte[] body = bodies.getOrDefault(path, "Not found\n").getBytes(StandardCharsets.UTF_8);
      int status = statuses.getOrDefault(path, 404);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  static RecordedAgent http() {
    try {
      return new RecordedAgent(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RecordedAgent https(SSLContext tls) {
    try {
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      return new RecordedAgent(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code /health} and {@code /api/summary} from the named resources, as an agent that is up answers. */
  RecordedAgent serving(String health, String summary) {
    answer("/health", health.startsWith("health-down") ? 503 : 200, resource(health));
    return answer("/api/summary", 200, resource(summary));
  }

  RecordedAgent answer(String path, int status, String body) {
    statuses.put(path, status);
    bodies.put(path, body);
    return this;
  }

  String url() {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  static String resource(String name) {
    try (InputStream in = RecordedAgent.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
