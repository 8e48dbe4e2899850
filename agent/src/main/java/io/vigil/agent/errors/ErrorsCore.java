package io.vigil.agent.errors;

import io.prometheus.client.CollectorRegistry;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.errors.ErrorMetrics;
import io.vigil.api.errors.ErrorSink;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.errors.ErrorTracking;

/**
 * Error tracking as the agent runs it: the bounded group store behind {@code /errors}, its metrics,
 * and the tracker the instrumentations report to, forwarding to Sentry when a DSN is configured.
 */
public final class ErrorsCore {

  private final ErrorGroups groups;
  private final ErrorTracker tracker;

  private ErrorsCore(ErrorGroups groups, ErrorTracker tracker) {
    this.groups = groups;
    this.tracker = tracker;
  }

  public static ErrorsCore start(
      VigilConfig config, CollectorRegistry registry, String serviceVersion, String agentVersion) {
    ErrorGroups groups = new ErrorGroups(config.errorsMaxGroups(), new ErrorMetrics(registry));
    ErrorMetrics.registerGauge(registry, groups);
    ErrorSink sink = ErrorSink.NONE;
    SentryDsn dsn = SentryDsn.parse(config.sentryDsn());
    if (dsn != null) {
      SentrySender sender =
          SentrySender.start(
              dsn,
              new SentryEnvelope(config.serviceName(), config.errorsEnvironment(), agentVersion),
              config.sentryRatePerMinute(),
              "vigil/" + agentVersion,
              registry);
      if (sender != null) {
        sink = sender;
      }
    }
    // The version spans carry too: resource.attributes' service.version wins over the jar's.
    String version = config.resourceAttributes().get("service.version");
    return new ErrorsCore(
        groups,
        new ErrorTracking(groups, sink, version != null ? version : serviceVersion, ErrorTracking.Clock.SYSTEM));
  }

  public ErrorGroups groups() {
    return groups;
  }

  public ErrorTracker tracker() {
    return tracker;
  }
}
