package io.vigil.jdbc.telemetry;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Histogram;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.LabelCap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code db_client_operation_duration_seconds{db_system_name, db_operation_name,
 * db_collection_name, error_type}} with the DB buckets of docs/metrics.md.
 *
 * <p>Label children are resolved once per distinct label set and kept here, so that recording is a
 * map lookup and a bare {@code observe()} (simpleclient's {@code labels(String...)} validates,
 * allocates and hashes on every call). The number of label sets is bounded: past {@link
 * #MAX_LABEL_SETS}, a new collection name is reported as {@link #OVERFLOW_COLLECTION}, so an
 * application that creates tables with generated names cannot grow the series without bound.
 * Each label from the application is capped on its own as well ({@link AgentMetrics}'s {@code
 * db_operation_name}, {@code db_collection_name} and {@code error_type} caps: distinct values and
 * length), so neither junk SQL nor a stream of new exception classes grows the series.
 * Unknown operation, collection or error type are the empty string, which Prometheus treats as an
 * absent label, as the semantic conventions ask for an attribute they cannot fill.
 */
public final class DbClientMetrics {

  public static final String NAME = "db_client_operation_duration_seconds";

  /** The DB buckets of docs/metrics.md, in seconds. */
  static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** Label sets kept before new collection names fold into {@link #OVERFLOW_COLLECTION}. */
  static final int MAX_LABEL_SETS = 2000;

  /** The collection label of statements on tables beyond {@link #MAX_LABEL_SETS}. */
  public static final String OVERFLOW_COLLECTION = "_OTHER";

  private final Histogram histogram;
  private final ConcurrentHashMap<String, Histogram.Child> children =
      new ConcurrentHashMap<String, Histogram.Child>();

  private final LabelCap operations;
  private final LabelCap collections;
  private final LabelCap errorTypes;

  public DbClientMetrics(CollectorRegistry registry, AgentMetrics agentMetrics) {
    operations = agentMetrics.dbOperationNames();
    collections = agentMetrics.dbCollectionNames();
    errorTypes = agentMetrics.errorTypes();
    histogram =
        Histogram.build()
            .name(NAME)
            .help(
                "Duration of database client operations: each JDBC statement execution or batch,"
                    + " as the application saw it.")
            .labelNames("db_system_name", "db_operation_name", "db_collection_name", "error_type")
            .buckets(BUCKETS)
            .register(registry);
  }

  /**
   * The child for one label set; nulls become empty strings. Allocates a key on every call: callers
   * on the success path keep what it returns (see {@link DbSystem#statement}).
   */
  Histogram.Child child(String system, String operation, String collection, String errorType) {
    String op = operation == null ? "" : operations.limit(operation);
    String coll = collection == null ? "" : collections.limit(collection);
    String err = errorType == null ? "" : errorTypes.limit(errorType);
    String key = key(system, op, coll, err);
    Histogram.Child child = children.get(key);
    if (child != null) {
      return child;
    }
    if (children.size() >= MAX_LABEL_SETS) {
      coll = coll.isEmpty() ? coll : OVERFLOW_COLLECTION;
      key = key(system, op, coll, err);
      child = children.get(key);
      if (child != null) {
        return child;
      }
    }
    child = histogram.labels(system, op, coll, err);
    Histogram.Child raced = children.putIfAbsent(key, child);
    return raced == null ? child : raced;
  }

  int labelSets() {
    return children.size();
  }

  private static String key(String system, String op, String coll, String err) {
    // NUL never occurs in these values: a separator that cannot make two label sets collide.
    return system + '\0' + op + '\0' + coll + '\0' + err;
  }
}
