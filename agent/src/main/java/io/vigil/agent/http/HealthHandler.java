package io.vigil.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vigil.api.config.HealthDetails;
import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.health.HealthResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /health}. Each answers 200 when every
 * check it covers is up and 503 otherwise, with a JSON body: the overall status and, for those
 * {@code health.details} lets see them, each check with its status, latency and details, the
 * service, the agent version and uptime.
 *
 * <p>As in Spring Boot's actuator, {@code authorized} means the request passed the port's
 * authentication. The probes are never behind it, so with {@code authorized} they show the status
 * only; with no authentication set no request is authorized.
 */
public final class HealthHandler implements HttpHandler {

  private static final String JSON = "application/json; charset=utf-8";

  private final HealthRegistry registry;
  private final String version;
  private final String serviceName;
  private final long startNanos;
  private final HealthDetails details;

  public HealthHandler(
      HealthRegistry registry, String version, String serviceName, long startNanos, HealthDetails details) {
    this.registry = registry;
    this.details = details;
    this.version = version;
    this.serviceName = serviceName;
    this.startNanos = startNanos;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (Responses.rejectUnlessRead(exchange)) {
        return;
      }
      String path = exchange.getRequestURI().getPath();
      HealthCheck.Kind only;
      if ("/health".equals(path) || "/health/".equals(path)) {
        only = null;
      } else if ("/health/live".equals(path)) {
        only = HealthCheck.Kind.LIVENESS;
      } else if ("/health/ready".equals(path)) {
        only = HealthCheck.Kind.READINESS;
      } else {
        Responses.send(exchange, 404, "text/plain; charset=utf-8", "Not found\n");
        return;
      }
      StringBuilder body = new StringBuilder(256);
      boolean up = report(only, showDetails(exchange, only == null), body);
      Responses.send(exchange, up ? 200 : 503, JSON, body.append('\n').toString());
    } finally {
      exchange.close();
    }
  }

  /** The probes pass the authentication without credentials, so only {@code /health} can be authorized. */
  boolean showDetails(HttpExchange exchange, boolean fullHealth) {
    switch (details) {
      case ALWAYS:
        return true;
      case AUTHORIZED:
        return fullHealth && exchange.getPrincipal() != null;
      default:
        return false;
    }
  }

  /**
   * Runs the checks of {@code kind} (all when null), writes the JSON (the status alone without
   * {@code withDetails}), returns overall up.
   */
  boolean report(HealthCheck.Kind kind, boolean withDetails, StringBuilder out) {
    List<String> checkJson = new ArrayList<>();
    boolean allUp = true;
    for (HealthCheck check : registry.checks()) {
      if (kind != null && check.kind() != kind) {
        continue;
      }
      long start = System.nanoTime();
      HealthResult result;
      try {
        result = check.check();
      } catch (Throwable t) {
        // The class only: a message or a stack trace may come from application code (a driver's
        // SQLException quoting a URL) and /health is readable by whoever reaches the port.
        result = HealthResult.down("check failed: " + t.getClass().getName(), Collections.<String, Object>emptyMap());
      }
      double latencyMs = (System.nanoTime() - start) / 1_000_000.0;
      allUp &= result.isUp();
      StringBuilder one = new StringBuilder(128);
      one.append("{\"name\":");
      Json.string(one, check.name());
      one.append(",\"kind\":");
      Json.string(one, check.kind().name().toLowerCase(Locale.ROOT));
      one.append(",\"status\":").append(result.isUp() ? "\"UP\"" : "\"DOWN\"");
      one.append(",\"latency_ms\":").append(String.format(Locale.ROOT, "%.3f", latencyMs));
      if (result.reason() != null) {
        one.append(",\"reason\":");
        Json.string(one, result.reason());
      }
      one.append(",\"details\":");
      Json.object(one, result.details());
      one.append('}');
      checkJson.add(one.toString());
    }
    out.append("{\"status\":").append(allUp ? "\"UP\"" : "\"DOWN\"");
    if (!withDetails) {
      out.append('}');
      return allUp;
    }
    out.append(",\"service\":");
    Json.string(out, serviceName);
    out.append(",\"version\":");
    Json.string(out, version);
    out.append(",\"uptime_seconds\":")
        .append(String.format(Locale.ROOT, "%.3f", (System.nanoTime() - startNanos) / 1e9));
    out.append(",\"checks\":[");
    for (int i = 0; i < checkJson.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(checkJson.get(i));
    }
    out.append("]}");
    return allUp;
  }
}
