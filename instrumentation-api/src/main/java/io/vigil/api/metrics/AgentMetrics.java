package io.vigil.api.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/**
 * The agent's own health in numbers: the {@code vigil_agent_*} series of docs/metrics.md.
 * Children are resolved once here, so recording is a bare {@code inc()}.
 */
public final class AgentMetrics {

  /**
   * The {@code label} of {@code vigil_agent_label_overflow_total} for folded request paths past
   * their own small budget (reported as {@code /**}); application routes past {@code
   * http.route.max-cardinality} count in {@code vigil_agent_route_overflow_total} instead.
   */
  public static final String HTTP_ROUTE_FOLDED = "http_route";

  public static final String EXCEPTION_TYPE = "exception_type";
  public static final String ERROR_TYPE = "error_type";
  public static final String DB_OPERATION_NAME = "db_operation_name";
  public static final String DB_COLLECTION_NAME = "db_collection_name";

  /**
   * Open pools reported; a pool opened while this many are open is not measured (its name would
   * be a new value of {@code db_client_connection_pool_name}).
   */
  public static final String DB_CLIENT_CONNECTION_POOL_NAME = "db_client_connection_pool_name";

  public static final int MAX_EXCEPTION_TYPES = 200;
  public static final int MAX_ERROR_TYPES = 200;
  public static final int MAX_DB_OPERATION_NAMES = 50;
  public static final int MAX_DB_COLLECTION_NAMES = 1000;
  public static final int MAX_POOLS = 100;

  /** Longest label value kept from the application: exception class names, table names. */
  public static final int MAX_LABEL_LENGTH = 128;

  private final Counter.Child spansExported;
  private final Counter.Child spansDropped;
  private final Counter.Child exportFailures;
  private final Counter.Child routeOverflow;
  private final Counter.Child portAuthFailures;
  private final Counter instrumentationErrors;
  private final Counter labelOverflow;
  private final LabelCap exceptionTypes;
  private final LabelCap errorTypes;
  private final LabelCap dbOperationNames;
  private final LabelCap dbCollectionNames;
  private final Counter exceptions;

  public AgentMetrics(
      CollectorRegistry registry, String version, String serviceName, Iterable<String> instrumentations) {
    Gauge.build("vigil_agent_info", "Vigil agent version and the service it reports for; always 1.")
        .labelNames("version", "service_name")
        .register(registry)
        .labels(version, serviceName)
        .set(1);
    spansExported =
        Counter.build("vigil_agent_spans_exported", "Spans the OTLP receiver accepted.")
            .register(registry)
            .labels();
    spansDropped =
        Counter.build(
                "vigil_agent_spans_dropped",
                "Sampled spans never delivered: export queue full, or their export failed.")
            .register(registry)
            .labels();
    exportFailures =
        Counter.build("vigil_agent_export_failures", "Span batches whose OTLP export failed.")
            .register(registry)
            .labels();
    routeOverflow =
        Counter.build(
                "vigil_agent_route_overflow",
                "Requests whose route was folded into the overflow value because"
                    + " http.route.max-cardinality was reached.")
            .register(registry)
            .labels();
    portAuthFailures =
        Counter.build(
                "vigil_agent_port_auth_failures",
                "Requests the agent port refused for missing or wrong credentials or a missing client"
                    + " certificate. Never counts the two probes, which are open.")
            .register(registry)
            .labels();
    instrumentationErrors =
        Counter.build(
                "vigil_agent_instrumentation_errors",
                "Errors inside Vigil's instrumentation: failed transformations and suppressed advice"
                    + " errors. The application was not affected.")
            .labelNames("instrumentation")
            .register(registry);
    exceptions =
        Counter.build(
                "vigil_exceptions",
                "Exceptions that escaped to the application's caller: out of a servlet to the"
                    + " container, or out of a JDBC call to the application.")
            .labelNames("exception_type", "source")
            .register(registry);
    labelOverflow =
        Counter.build(
                "vigil_agent_label_overflow",
                "Label values replaced by their overflow value because the label's cap of distinct"
                    + " values was reached.")
            .labelNames("label")
            .register(registry);
    // Present at zero from the start, so that a dashboard shows every capped label.
    labelOverflow.labels(HTTP_ROUTE_FOLDED);
    labelOverflow.labels(DB_CLIENT_CONNECTION_POOL_NAME);
    exceptionTypes = cap(EXCEPTION_TYPE, MAX_EXCEPTION_TYPES);
    errorTypes = cap(ERROR_TYPE, MAX_ERROR_TYPES);
    dbOperationNames = cap(DB_OPERATION_NAME, MAX_DB_OPERATION_NAMES);
    dbCollectionNames = cap(DB_COLLECTION_NAME, MAX_DB_COLLECTION_NAMES);
    for (String name : instrumentations) {
      // Present at zero from the start, so rate() and increase() see the first error.
      instrumentationErrors.labels(name);
    }
  }

  public void spansExported(long count) {
    spansExported.inc(count);
  }

  public void spansDropped(long count) {
    spansDropped.inc(count);
  }

  public void exportFailed() {
    exportFailures.inc();
  }

  public void routeOverflowed() {
    routeOverflow.inc();
  }

  public void portAuthFailed() {
    portAuthFailures.inc();
  }

  /**
   * Counts an exception by its class name (capped at {@value #MAX_EXCEPTION_TYPES} distinct
   * names) and where it was seen ({@code servlet}, {@code jdbc}). Only on error paths: the label
   * lookup allocates.
   */
  public void exception(String exceptionType, String source) {
    exceptions.labels(exceptionTypes.limit(exceptionType), source).inc();
  }

  /** The cap of {@code error_type}, shared by the HTTP and the DB histograms. */
  public LabelCap errorTypes() {
    return errorTypes;
  }

  public LabelCap dbOperationNames() {
    return dbOperationNames;
  }

  public LabelCap dbCollectionNames() {
    return dbCollectionNames;
  }

  private LabelCap cap(String label, int maxValues) {
    final Counter.Child overflow = labelOverflow.labels(label);
    return new LabelCap(label, maxValues, MAX_LABEL_LENGTH, new Runnable() {
      @Override
      public void run() {
        overflow.inc();
      }
    });
  }

  /** Counts one value of {@code label} replaced by its overflow value. */
  public void labelOverflowed(String label) {
    labelOverflow.labels(label).inc();
  }

  public void instrumentationError(String instrumentation) {
    instrumentationErrors.labels(instrumentation).inc();
  }
}
