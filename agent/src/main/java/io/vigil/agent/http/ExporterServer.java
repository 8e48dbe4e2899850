package io.vigil.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server on the agent port: {@code /metrics} and the health endpoints. Its
 * threads are daemons, so it never keeps an application alive, and it serves from a small fixed
 * pool with a bounded queue and per-request deadlines ({@link BoundedExchangeExecutor}), so neither
 * a scraping storm nor clients that stall mid-request can take more than a few threads from the
 * application or keep {@code /health/live} from answering.
 */
public final class ExporterServer {

  private static final Logger log = LoggerFactory.getLogger(ExporterServer.class);

  private final HttpServer server;
  private final BoundedExchangeExecutor executor;

  private ExporterServer(HttpServer server, BoundedExchangeExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds and starts; returns null (after one log line) when the address cannot be bound, so the
   * application runs on without the endpoint.
   */
  public static ExporterServer start(String host, int port, MetricsHandler metrics, HealthHandler health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException | RuntimeException e) {
      log.error(
          "Cannot listen on {}:{} ({}); /metrics and /health are off, the application runs on."
              + " Set prometheus.port to a free port.",
          host, port, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return null;
    }
    BoundedExchangeExecutor executor = new BoundedExchangeExecutor();
    server.createContext("/metrics", metrics).getFilters().add(executor.readDone);
    server.createContext("/health", health).getFilters().add(executor.readDone);
    server.createContext("/", ExporterServer::notFound).getFilters().add(executor.readDone);
    server.setExecutor(executor);
    startOnDaemonThread(server);
    return new ExporterServer(server, executor);
  }

  /**
   * The JDK server's dispatcher thread inherits daemon status from the thread that starts it; left
   * to premain's thread it would keep every application's JVM from exiting.
   */
  private static void startOnDaemonThread(final HttpServer server) {
    Thread starter = new Thread(server::start, "vigil-exporter-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void stop() {
    server.stop(0);
    executor.shutdown();
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    try {
      byte[] body = "Not found. Try /metrics, /health, /health/live or /health/ready.\n".getBytes("UTF-8");
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }
}
