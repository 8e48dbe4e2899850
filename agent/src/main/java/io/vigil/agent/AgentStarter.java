package io.vigil.agent;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.LoadedConfig;
import io.vigil.agent.errors.ErrorsCore;
import io.vigil.agent.logging.LogOutput;
import io.vigil.agent.trace.DeferredTracer;
import io.vigil.agent.weave.InstrumentationInstaller;
import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.StatementTotals;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent: configuration, the agent's registry, the weaving and the instrumentations'
 * run-time support before the application's main; the JVM metrics, the tracer and the exporter
 * port on a thread of their own beside it. Each part that fails is one log line and the rest goes
 * on; the application always starts.
 */
final class AgentStarter {

  static final long SHUTDOWN_FLUSH_MILLIS = 2000;

  private AgentStarter() {}

  /** @param facades how the bootstrap facades were installed, for the debug log */
  static void start(
      String agentArgs, Instrumentation instrumentation, long startNanos, boolean lateAttach, String facades) {
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
    phases.mark("bootstrap facades and configuration");
    log.debug("Bootstrap facades {}", facades);

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
    phases.mark("agent metrics");

    InstrumentationInstaller installer = new InstrumentationInstaller(metrics);
    List<InstrumentationModule> woven = installer.weave(instrumentation, modules, config, lateAttach);
    phases.mark("weaving");

    DeferredTracer tracer = new DeferredTracer();
    HealthRegistry health = new HealthRegistry();
    ErrorsCore errors = ErrorsCore.start(config, registry, application.version(), version);
    StatementTotals statements = new StatementTotals(StatementTotals.DEFAULT_MAX_STATEMENTS);
    AgentContext context = new AgentContext(config, registry, metrics, tracer, W3CTraceContextPropagator.getInstance(),
        health, errors.tracker(), statements);
    List<String> active = installer.activate(woven, context);
    phases.mark("instrumentation start");
    long blockingNanos = System.nanoTime() - startNanos;

    // The application waits for premain, so premain ends here: classes are woven and the metrics
    // are recorded from now on. The JVM collectors, the tracer SDK and the exporter port are not
    // needed for that and start beside the application; until the tracer is set, spans are no-ops.
    Thread starter = new Thread(() -> {
      try {
        TelemetryCore core = TelemetryCore.start(
            config, registry, metrics, health, errors.groups(), statements, version, application.version(), startNanos);
        tracer.set(core.tracing().tracer());
        phases.mark("telemetry core, beside the application");
        try {
          Runtime.getRuntime().addShutdownHook(
              new Thread(() -> core.tracing().shutdown(SHUTDOWN_FLUSH_MILLIS), "vigil-shutdown"));
        } catch (IllegalStateException shuttingDown) {
          // The application ended before the agent finished starting: nothing is left to flush.
        }
        log.info("Vigil {} started in {} ms ({} ms before the application went on): service={}, metrics={},"
                + " traces={}, instrumentations={}",
            version,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
            TimeUnit.NANOSECONDS.toMillis(blockingNanos),
            config.serviceName(),
            core.metricsAddress(),
            core.tracing().describe(),
            active.isEmpty() ? "none" : String.join(",", active));
        if (log.isDebugEnabled()) {
          log.debug("Start-up phases: {}; classes loaded so far: {}", phases, installer.describeFiltering());
        }
      } catch (Throwable t) {
        log.error("Vigil could not finish starting ({}); the application runs on", t.toString());
      }
    }, "vigil-start");
    starter.setDaemon(true);
    starter.start();
  }
}
