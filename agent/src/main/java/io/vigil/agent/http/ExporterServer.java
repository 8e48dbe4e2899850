package io.vigil.agent.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.vigil.agent.http.security.PortSecurity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server on the agent port: {@code /metrics}, the health endpoints, {@code
 * /errors} and {@code /api/summary}. Its
 * threads are daemons, so it never keeps an application alive, and it serves from a small fixed
 * pool with a bounded queue and per-request deadlines ({@link BoundedExchangeExecutor}), so neither
 * a scraping storm nor clients that stall mid-request can take more than a few threads from the
 * application or keep {@code /health/live} from answering.
 *
 * <p>With {@code prometheus.tls.*} set it speaks HTTPS only, and with authentication set every path
 * but the two probes is behind it ({@link PortSecurity}). The probes stay open so that Kubernetes
 * needs no secret to call them; {@link HealthHandler} decides how much they tell. The authenticator
 * exempts exactly those two paths: a context of their own would also open every path they prefix.
 */
public final class ExporterServer {

  private static final Logger log = LoggerFactory.getLogger(ExporterServer.class);

  private final HttpServer server;
  private final BoundedExchangeExecutor executor;
  private final PortSecurity security;

  private ExporterServer(HttpServer server, BoundedExchangeExecutor executor, PortSecurity security) {
    this.server = server;
    this.executor = executor;
    this.security = security;
  }

  /**
   * Binds and starts; returns null (after one log line) when the address cannot be bound, so the
   * application runs on without the endpoint.
   */
  public static ExporterServer start(
      String host, int port, PortSecurity security, MetricsHandler metrics, HealthHandler health,
      ErrorsHandler errors, SummaryHandler summary) {
    HttpServer server;
    try {
      server = security.bind(new InetSocketAddress(host, port), 64);
    } catch (IOException | RuntimeException e) {
      log.error(
          "Cannot listen on {}:{} ({}); /metrics and /health are off, the application runs on."
              + " Set prometheus.port to a free port.",
          host, port, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return null;
    }
    BoundedExchangeExecutor executor = new BoundedExchangeExecutor();
    serve(server, "/metrics", metrics, security, executor);
    serve(server, "/health", health, security, executor);
    serve(server, "/errors", errors, security, executor);
    serve(server, "/api/summary", summary, security, executor);
    serve(server, "/", ExporterServer::notFound, security, executor);
    serve(server, "/status", new StatusPageHandler(), security, executor);
    server.setExecutor(executor);
    startOnDaemonThread(server);
    return new ExporterServer(server, executor, security);
  }

  // User filters run before the authenticator, so the read deadline ends once the headers are in,
  // whether or not the request then passes authentication.
  private static void serve(
      HttpServer server, String path, HttpHandler handler, PortSecurity security, BoundedExchangeExecutor executor) {
    HttpContext context = server.createContext(path, handler);
    context.getFilters().add(executor.readDone);
    security.protect(context);
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

  public PortSecurity security() {
    return security;
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
      byte[] body = "Not found. Try /metrics, /health, /health/live, /health/ready, /errors or /api/summary.\n".getBytes("UTF-8");
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
