package io.vigil.agent;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.LoadedConfig;
import io.vigil.agent.http.ExporterServer;
import io.vigil.agent.http.HealthHandler;
import io.vigil.agent.http.MetricsHandler;
import io.vigil.agent.logging.LogOutput;
import io.vigil.agent.trace.TracingCore;
import io.vigil.agent.trace.otlp.OtlpTransports;
import io.vigil.agent.weave.InstrumentationInstaller;
import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent: configuration, the agent's own registry with JVM metrics, the tracer, the
 * exporter port, then the weaving. Each part that fails is one log line and the rest goes on; the
 * application always starts.
 */
final class AgentStarter {

  static final long SHUTDOWN_FLUSH_MILLIS = 2000;

  private AgentStarter() {}

  static void start(String agentArgs, Instrumentation instrumentation, long startNanos, boolean lateAttach) {
    ApplicationIdentity application = ApplicationIdentity.fromCommand(System.getProperty("sun.java.command"));
    LoadedConfig loaded = ConfigLoader.load(agentArgs, System.getProperties(), System.getenv(), application.name());
    VigilConfig config = loaded.config();
    LogOutput.setLevel(config.logLevel());
    Logger log = LoggerFactory.getLogger(AgentStarter.class);
    for (String warning : loaded.warnings()) {
      log.warn(warning);
    }
    String version = AgentVersion.get();
    StartupPhases phases = new StartupPhases(startNanos);
    phases.mark("configuration");

    List<InstrumentationModule> modules = new ArrayList<>();
    for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class, AgentStarter.class.getClassLoader())) {
      modules.add(module);
    }
    List<String> moduleNames = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      moduleNames.add(module.name());
    }

    CollectorRegistry registry = new CollectorRegistry(true);
    AgentMetrics metrics = new AgentMetrics(registry, version, config.serviceName(), moduleNames);
    try {
      DefaultExports.register(registry);
    } catch (Throwable t) {
      log.warn("JVM metrics are incomplete: {}", t.toString());
    }

    phases.mark("metrics registry and JVM metrics");
    HealthRegistry health = new HealthRegistry();
    TracingCore tracing = startTracing(config, metrics, version, application.version(), log);
    HealthCheck exportCheck = tracing.exportCheck();
    if (exportCheck != null) {
      health.register(exportCheck);
    }

    phases.mark("tracing");
    String metricsAddress = "off";
    if (config.prometheusEnabled()) {
      ExporterServer server = startServer(config, registry, health, version, startNanos, log);
      if (server != null) {
        metricsAddress = "http://" + config.prometheusHost() + ":" + server.port() + "/metrics";
      } else {
        metricsAddress = "unavailable";
      }
    }

    phases.mark("exporter port");
    AgentContext context = new AgentContext(config, registry, metrics, tracing.tracer(), tracing.propagator(), health);
    List<String> active = new InstrumentationInstaller(metrics).install(instrumentation, modules, context, lateAttach);

    phases.mark("weaving");
    Thread flush = new Thread(() -> tracing.shutdown(SHUTDOWN_FLUSH_MILLIS), "vigil-shutdown");
    Runtime.getRuntime().addShutdownHook(flush);

    log.info("Vigil {} started in {} ms: service={}, metrics={}, traces={}, instrumentations={}",
        version,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        config.serviceName(),
        metricsAddress,
        tracing.describe(),
        active.isEmpty() ? "none" : String.join(",", active));
    if (log.isDebugEnabled()) {
      log.debug("Start-up phases: {}", phases);
    }
  }

  private static TracingCore startTracing(
      VigilConfig config, AgentMetrics metrics, String version, String serviceVersion, Logger log) {
    if (!config.tracesEnabled()) {
      return TracingCore.disabled();
    }
    try {
      return TracingCore.start(config, OtlpTransports.create(config), metrics, version, serviceVersion);
    } catch (Throwable t) {
      log.error("Tracing could not start ({}); traces are off, metrics go on", t.toString());
      return TracingCore.disabled();
    }
  }

  private static ExporterServer startServer(
      VigilConfig config, CollectorRegistry registry, HealthRegistry health, String version, long startNanos,
      Logger log) {
    try {
      return ExporterServer.start(
          config.prometheusHost(),
          config.prometheusPort(),
          new MetricsHandler(registry),
          new HealthHandler(health, version, config.serviceName(), startNanos));
    } catch (Throwable t) {
      // com.sun.net.httpserver is missing from some trimmed runtimes.
      log.error("The metrics endpoint could not start ({}); metrics are off, the application runs on", t.toString());
      return null;
    }
  }
}
