package io.vigil.agent;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;
import io.vigil.agent.http.ErrorsHandler;
import io.vigil.agent.http.ExporterServer;
import io.vigil.agent.http.HealthHandler;
import io.vigil.agent.http.MetricsHandler;
import io.vigil.agent.http.SummaryHandler;
import io.vigil.agent.summary.SummaryService;
import io.vigil.agent.http.security.PortSecurity;
import io.vigil.agent.http.security.PortSecurityException;
import io.vigil.agent.trace.TracingCore;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.StatementTotals;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent serves and sends: the JVM metrics in the agent's registry, the tracer with its
 * export thread, the health checks, and the exporter port. Each part that fails to start is one
 * log line and the others go on. None of it is needed to weave the application's classes, so it
 * starts on the agent's own thread while the application starts.
 */
final class TelemetryCore {

  private static final Logger log = LoggerFactory.getLogger(TelemetryCore.class);

  private final TracingCore tracing;
  private final String metricsAddress;

  private TelemetryCore(TracingCore tracing, String metricsAddress) {
    this.tracing = tracing;
    this.metricsAddress = metricsAddress;
  }

  static TelemetryCore start(
      VigilConfig config, CollectorRegistry registry, AgentMetrics metrics, HealthRegistry health, ErrorGroups errors,
      StatementTotals statements, String version, String serviceVersion, long startNanos) {
    try {
      DefaultExports.register(registry);
    } catch (Throwable t) {
      log.warn("JVM metrics are incomplete: {}", t.toString());
    }

    TracingCore tracing = startTracing(config, metrics, version, serviceVersion);
    HealthCheck exportCheck = tracing.exportCheck();
    if (exportCheck != null) {
      health.register(exportCheck);
    }

    String metricsAddress = "off";
    if (config.prometheusEnabled()) {
      long startMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      SummaryService summaries = new SummaryService(registry, statements, errors, System::currentTimeMillis, startMillis);
      HealthHandler healthHandler = new HealthHandler(health, version, config.serviceName(), startNanos,
          config.portSecurity().healthDetails());
      SummaryHandler summaryHandler = new SummaryHandler(summaries, healthHandler, errors, config.serviceName(),
          version, startMillis, tracing.enabled(), tracing::lastExportFailure);
      ExporterServer server = startServer(config, registry, metrics, healthHandler, errors, summaryHandler);
      if (server != null) {
        // Only with the port: nothing else reads the ring.
        summaries.start();
      }
      metricsAddress = server == null ? "unavailable" : describe(server, config);
    }
    return new TelemetryCore(tracing, metricsAddress);
  }

  /** The metrics URL for the start-up line, with how the port is protected when it is. */
  private static String describe(ExporterServer server, VigilConfig config) {
    PortSecurity security = server.security();
    String address = security.scheme() + "://" + config.prometheusHost() + ":" + server.port() + "/metrics";
    return security.protects()
        ? address + " (" + security.describe() + ", health details "
            + config.portSecurity().healthDetails().configValue() + ")"
        : address;
  }

  TracingCore tracing() {
    return tracing;
  }

  String metricsAddress() {
    return metricsAddress;
  }

  private static TracingCore startTracing(VigilConfig config, AgentMetrics metrics, String version, String serviceVersion) {
    if (!config.tracesEnabled()) {
      return TracingCore.disabled();
    }
    try {
      return TracingCore.start(config, metrics, version, serviceVersion);
    } catch (Throwable t) {
      log.error("Tracing could not start ({}); traces are off, metrics go on", t.toString());
      return TracingCore.disabled();
    }
  }

  private static ExporterServer startServer(VigilConfig config, CollectorRegistry registry, AgentMetrics metrics,
      HealthHandler health, ErrorGroups errors, SummaryHandler summary) {
    PortSecurity security;
    try {
      security = PortSecurity.open(config.portSecurity(), metrics::portAuthFailed);
    } catch (PortSecurityException e) {
      // Off, never open without the protection that was asked for.
      log.error("The agent port stays off: {}. /metrics and /health are unavailable; the application runs on.",
          e.getMessage());
      return null;
    } catch (Throwable t) {
      log.error("The agent port stays off: its TLS or authentication could not be set up ({}); the application"
          + " runs on.", t.toString());
      return null;
    }
    // A client certificate needs TLS, so on plain HTTP authentication is a password or a token.
    if ("http".equals(security.scheme()) && security.authenticates()) {
      log.warn("The agent port takes a password or token over plain HTTP, where anyone on the network path can"
          + " read it; set prometheus.tls.certificate and prometheus.tls.private-key.");
    }
    try {
      return ExporterServer.start(
          config.prometheusHost(),
          config.prometheusPort(),
          security,
          new MetricsHandler(registry),
          health,
          new ErrorsHandler(errors),
          summary);
    } catch (Throwable t) {
      // com.sun.net.httpserver is missing from some trimmed runtimes.
      log.error("The metrics endpoint could not start ({}); metrics are off, the application runs on", t.toString());
      return null;
    }
  }
}
