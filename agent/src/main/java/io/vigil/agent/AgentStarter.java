package io.vigil.agent;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.config.ConfigLoader;
import io.vigil.agent.config.LoadedConfig;
import io.vigil.agent.errors.ErrorsCore;
import io.vigil.agent.logging.LogOutput;
import io.vigil.agent.trace.DeferredTracer;
import io.vigil.agent.weave.DeferredWeaving;
import io.vigil.agent.weave.InstrumentationInstaller;
import io.vigil.agent.weave.WeavingPlan;
import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.StatementTotals;
import java.lang.instrument.ClassFileTransformer;
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

  private static final long WEAVING_LOG_WAIT_MILLIS = 60_000;

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
    WeavingPlan plan = WeavingPlan.of(modules, config);
    // Attached to a running JVM the loaded classes must be retransformed, which the deferred
    // weaving does not do: there the weaving is built before agentmain returns, as it is when an
    // instrumentation names no candidates.
    DeferredWeaving deferred = lateAttach ? null : DeferredWeaving.install(instrumentation, plan);
    phases.mark("pre-filter");
    Weaving weaving = new Weaving(config, modules, version, application);
    if (deferred == null) {
      weaving.weaveAndActivate(instrumentation, plan, lateAttach);
      phases.mark("weaving and instrumentation start");
    }
    long blockingNanos = System.nanoTime() - startNanos;

    // The application waits for premain, so premain ends here. Byte Buddy's transformer (unless it
    // is built already), the modules' run-time support, the JVM collectors, the tracer and the
    // exporter port start beside the application: a thread that loads a class to weave before the
    // transformer is ready waits for it (DeferredWeaving); until the tracer is set, spans are no-ops.
    Thread starter = new Thread(() -> {
      try {
        Thread weaver = null;
        if (deferred != null) {
          deferred.learnLoadedJdkTypes(instrumentation);
          // The weaving is what a waiting application thread needs; the telemetry core is not,
          // so the two are built side by side: while a thread waits for the weaving, a core is idle.
          weaving.prepare();
          phases.mark("registry and error tracking");
          long weavingStart = System.nanoTime();
          weaver = new Thread(() -> {
            try {
              weaving.weaveLater(deferred, plan);
            } catch (Throwable t) {
              log.error("Vigil could not build its weaving ({}); classes load uninstrumented", t.toString());
            } finally {
              // Built or not, no class waits for the weaving any longer.
              deferred.settle(weaving.transformer);
            }
            phases.took("weaving and instrumentation start, beside the application", weavingStart);
          }, "vigil-weaving");
          weaver.setDaemon(true);
          weaver.start();
        }
        long coreStart = System.nanoTime();
        TelemetryCore core = TelemetryCore.start(config, weaving.registry, weaving.metrics, weaving.health, weaving.errors.groups(),
            weaving.statements, version, application.version(), startNanos);
        weaving.tracer.set(core.tracing().tracer());
        phases.took(weaver == null ? "telemetry core, beside the application"
            : "telemetry core, beside the application and the weaving", coreStart);
        if (weaver != null) {
          // Only for the start-up line below: a weaving build that hangs must not silence it.
          weaver.join(WEAVING_LOG_WAIT_MILLIS);
        }
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
            weaving.active.isEmpty() ? "none" : String.join(",", weaving.active));
        if (log.isDebugEnabled()) {
          log.debug("Start-up phases: {}; classes loaded so far: {}{}", phases, weaving.installer.describeFiltering(),
              deferred == null ? "" : ", " + deferred.waits() + " waited for the weaving, " + deferred.unwoven()
                  + " loaded unwoven" + (deferred.unwoven() == 0 ? "" : " " + deferred.unwovenNames())
                  + "; time in the loading threads: " + deferred.describeTime());
        }
      } catch (Throwable t) {
        log.error("Vigil could not finish starting ({}); the application runs on", t.toString());
      }
    }, "vigil-start");
    starter.setDaemon(true);
    starter.start();
  }

  /**
   * The agent's registry and metrics, Byte Buddy's weaving and the modules' run-time support: built
   * in premain when it must be there before the application's first class, or on the start thread
   * behind {@link DeferredWeaving}.
   */
  private static final class Weaving {
    private final VigilConfig config;
    private final List<InstrumentationModule> modules;
    private final String version;
    private final ApplicationIdentity application;
    final DeferredTracer tracer = new DeferredTracer();
    final HealthRegistry health = new HealthRegistry();
    final StatementTotals statements = new StatementTotals(StatementTotals.DEFAULT_MAX_STATEMENTS);
    CollectorRegistry registry;
    AgentMetrics metrics;
    InstrumentationInstaller installer;
    ErrorsCore errors;
    List<String> active = new ArrayList<>();
    volatile ClassFileTransformer transformer;

    Weaving(VigilConfig config, List<InstrumentationModule> modules, String version, ApplicationIdentity application) {
      this.config = config;
      this.modules = modules;
      this.version = version;
      this.application = application;
    }

    void weaveAndActivate(Instrumentation instrumentation, WeavingPlan plan, boolean lateAttach) {
      prepare();
      activate(installer.weave(instrumentation, plan, lateAttach));
    }

    /**
     * Builds the transformer for {@code deferred} after {@link #prepare()}; the caller settles it,
     * built or not.
     */
    void weaveLater(DeferredWeaving deferred, WeavingPlan plan) {
      deferred.buildingOnThisThread();
      List<InstrumentationModule> woven = new ArrayList<>();
      ClassFileTransformer built = installer.build(plan, deferred, woven);
      // The modules' support is in place before the first class is woven, so no advice ever runs
      // against the facades' no-op defaults for want of it.
      activate(woven);
      transformer = built;
    }

    /** The registry, the agent's metrics and error tracking: what both the weaving and the core need. */
    void prepare() {
      List<String> moduleNames = new ArrayList<>();
      for (InstrumentationModule module : modules) {
        moduleNames.add(module.name());
      }
      registry = new CollectorRegistry(true);
      metrics = new AgentMetrics(registry, version, config.serviceName(), moduleNames);
      installer = new InstrumentationInstaller(metrics);
      errors = ErrorsCore.start(config, registry, application.version(), version);
    }

    private void activate(List<InstrumentationModule> woven) {
      AgentContext context = new AgentContext(config, registry, metrics, tracer,
          W3CTraceContextPropagator.getInstance(), health, errors.tracker(), statements);
      active = installer.activate(woven, context);
    }
  }
}
