package io.vigil.hikari;

import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.bootstrap.HikariPools;
import java.util.Collections;
import java.util.List;

/**
 * The hikari instrumentation: HikariCP pool metrics and pool health.
 *
 * <p>{@link HikariPoolInstrumentation} hooks every pool's metrics-tracker factory; the bridge
 * classes ({@code io.vigil.hikari.bridge}, defined next to the pool's HikariCP) chain the
 * application's tracker and report to {@link TrackedPools}, which names each pool, records its
 * histograms and timeouts ({@link PoolMetrics}), exposes its gauges at scrape time ({@link
 * PoolGauges}) and registers one readiness check per pool ({@link ExhaustionDetector}).
 */
public final class HikariInstrumentationModule implements InstrumentationModule {

  @Override
  public String name() {
    return "hikari";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.<TypeInstrumentation>singletonList(new HikariPoolInstrumentation());
  }

  @Override
  public void install(AgentContext context) {
    final AgentMetrics agentMetrics = context.agentMetrics();
    TrackedPools pools =
        new TrackedPools(
            new PoolMetrics(context.registry()),
            context.health(),
            System::nanoTime,
            AgentMetrics.MAX_POOLS,
            new Runnable() {
              @Override
              public void run() {
                agentMetrics.labelOverflowed(AgentMetrics.DB_CLIENT_CONNECTION_POOL_NAME);
              }
            });
    new PoolGauges(pools).register(context.registry());
    HikariPools.install(new TrackerFactories(pools, HikariInstrumentationModule.class.getClassLoader()));
  }
}
