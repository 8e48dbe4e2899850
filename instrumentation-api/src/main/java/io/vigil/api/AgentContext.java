package io.vigil.api;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.StatementTotals;

/** What the agent core hands to each {@link InstrumentationModule} at install time. */
public final class AgentContext {

  private final VigilConfig config;
  private final CollectorRegistry registry;
  private final AgentMetrics agentMetrics;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final HealthRegistry health;
  private final ErrorTracker errors;
  private final StatementTotals statements;

  /** Without error tracking: for benchmarks and tests of one instrumentation. */
  public AgentContext(
      VigilConfig config,
      CollectorRegistry registry,
      AgentMetrics agentMetrics,
      Tracer tracer,
      TextMapPropagator propagator,
      HealthRegistry health) {
    this(config, registry, agentMetrics, tracer, propagator, health, ErrorTracker.NOOP);
  }

  public AgentContext(
      VigilConfig config,
      CollectorRegistry registry,
      AgentMetrics agentMetrics,
      Tracer tracer,
      TextMapPropagator propagator,
      HealthRegistry health,
      ErrorTracker errors) {
    this(config, registry, agentMetrics, tracer, propagator, health, errors,
        new StatementTotals(StatementTotals.DEFAULT_MAX_STATEMENTS));
  }

  public AgentContext(
      VigilConfig config,
      CollectorRegistry registry,
      AgentMetrics agentMetrics,
      Tracer tracer,
      TextMapPropagator propagator,
      HealthRegistry health,
      ErrorTracker errors,
      StatementTotals statements) {
    this.config = config;
    this.registry = registry;
    this.agentMetrics = agentMetrics;
    this.tracer = tracer;
    this.propagator = propagator;
    this.health = health;
    this.errors = errors;
    this.statements = statements;
  }

  public VigilConfig config() {
    return config;
  }

  /** The agent's own registry (never the application's default registry). */
  public CollectorRegistry registry() {
    return registry;
  }

  public AgentMetrics agentMetrics() {
    return agentMetrics;
  }

  /** A no-op tracer when {@code traces.enabled=false}. */
  public Tracer tracer() {
    return tracer;
  }

  /** W3C trace-context. */
  public TextMapPropagator propagator() {
    return propagator;
  }

  public HealthRegistry health() {
    return health;
  }

  /** Where failed requests and statements are reported for grouping. */
  public ErrorTracker errors() {
    return errors;
  }

  /** Where statement executions are totalled for the summary API. */
  public StatementTotals statements() {
    return statements;
  }
}
