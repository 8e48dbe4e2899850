package io.vigil.agent;

import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.LoadedConfig;
import io.vigil.agent.logging.LogOutput;
import io.vigil.agent.weave.InstrumentationInstaller;
import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.config.VigilConfig;
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
    phases.mark("agent metrics");

    // Sequential on purpose: run on a second thread, the core and Byte Buddy's installation
    // contend for the same jar and the JIT's threads, and start-up got slower, not faster.
    TelemetryCore core = TelemetryCore.start(config, registry, metrics, version, application.version(), startNanos);
    phases.mark("telemetry core");

    InstrumentationInstaller installer = new InstrumentationInstaller(metrics);
    List<InstrumentationModule> woven = installer.weave(instrumentation, modules, config, lateAttach);
    phases.mark("weaving");

    AgentContext context = new AgentContext(
        config, registry, metrics, core.tracing().tracer(), core.tracing().propagator(), core.health());
    List<String> active = installer.activate(woven, context);
    phases.mark("instrumentation start");

    Thread flush = new Thread(() -> core.tracing().shutdown(SHUTDOWN_FLUSH_MILLIS), "vigil-shutdown");
    Runtime.getRuntime().addShutdownHook(flush);

    log.info("Vigil {} started in {} ms: service={}, metrics={}, traces={}, instrumentations={}",
        version,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        config.serviceName(),
        core.metricsAddress(),
        core.tracing().describe(),
        active.isEmpty() ? "none" : String.join(",", active));
    if (log.isDebugEnabled()) {
      log.debug("Start-up phases: {}", phases);
    }
  }
}
