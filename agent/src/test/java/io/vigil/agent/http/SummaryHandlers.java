package io.vigil.agent.http;

import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.summary.SummaryService;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.metrics.StatementTotals;

/** A summary handler over a test's registry, as the agent wires it (without the minute thread). */
final class SummaryHandlers {

  private SummaryHandlers() {}

  static SummaryHandler of(CollectorRegistry registry, HealthHandler health, ErrorGroups groups) {
    long now = System.currentTimeMillis();
    SummaryService summaries =
        new SummaryService(registry, new StatementTotals(10), groups, System::currentTimeMillis, now);
    return new SummaryHandler(summaries, health, groups, "svc", "1.0", now, false, () -> null);
  }
}
