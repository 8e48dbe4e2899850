package io.vigil.api.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every occurrence of one fingerprint, summed up. Instances handed out by {@link ErrorGroups} are
 * snapshots and never change; the live one is only touched under the store's lock.
 */
public final class ErrorGroup {

  /** Routes kept per group; an error seen on more routes is not about a route. */
  public static final int MAX_ROUTES = 5;

  private final Fingerprint fingerprint;
  private final String source;
  private final String messageTemplate;
  private final Integer vendorCode;
  private final List<CapturedException> sample;
  private final long firstSeenMillis;
  private long lastSeenMillis;
  /** The store's sequence number of the last occurrence: orders groups last seen in the same millisecond. */
  private long lastSighting;
  private long count;
  private final List<String> routes;
  private String lastTraceId;
  private String serviceVersion;

  private ErrorGroup(ErrorEvent first) {
    this.fingerprint = first.fingerprint();
    this.source = first.source();
    this.messageTemplate = first.chain().get(0).messageTemplate();
    this.vendorCode = first.vendorCode();
    this.sample = first.chain();
    this.firstSeenMillis = first.timestampMillis();
    this.routes = new ArrayList<String>(MAX_ROUTES);
  }

  private ErrorGroup(ErrorGroup live) {
    this.fingerprint = live.fingerprint;
    this.source = live.source;
    this.messageTemplate = live.messageTemplate;
    this.vendorCode = live.vendorCode;
    this.sample = live.sample;
    this.firstSeenMillis = live.firstSeenMillis;
    this.lastSeenMillis = live.lastSeenMillis;
    this.lastSighting = live.lastSighting;
    this.count = live.count;
    this.routes = Collections.unmodifiableList(new ArrayList<String>(live.routes));
    this.lastTraceId = live.lastTraceId;
    this.serviceVersion = live.serviceVersion;
  }

  static ErrorGroup first(ErrorEvent event, long sighting) {
    ErrorGroup group = new ErrorGroup(event);
    group.add(event, sighting);
    return group;
  }

  void add(ErrorEvent event, long sighting) {
    count++;
    lastSighting = sighting;
    lastSeenMillis = Math.max(lastSeenMillis, event.timestampMillis());
    addRoute(event.route());
    if (event.traceId() != null) {
      lastTraceId = event.traceId();
    }
    if (event.serviceVersion() != null) {
      serviceVersion = event.serviceVersion();
    }
  }

  void addRoute(String route) {
    if (route != null && routes.size() < MAX_ROUTES && !routes.contains(route)) {
      routes.add(route);
    }
  }

  ErrorGroup snapshot() {
    return new ErrorGroup(this);
  }

  public String fingerprint() {
    return fingerprint.id();
  }

  public String type() {
    return fingerprint.type();
  }

  public String rootType() {
    return fingerprint.rootType();
  }

  public String sqlState() {
    return fingerprint.sqlState();
  }

  public Integer vendorCode() {
    return vendorCode;
  }

  public String source() {
    return source;
  }

  /** The first occurrence's message, templated; null when it had none. */
  public String messageTemplate() {
    return messageTemplate;
  }

  public long firstSeenMillis() {
    return firstSeenMillis;
  }

  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  long lastSighting() {
    return lastSighting;
  }

  public long count() {
    return count;
  }

  /** The first {@value #MAX_ROUTES} routes it was seen on. */
  public List<String> routes() {
    return routes;
  }

  public String lastTraceId() {
    return lastTraceId;
  }

  public String serviceVersion() {
    return serviceVersion;
  }

  /** The first occurrence's exception chain. */
  public List<CapturedException> sample() {
    return sample;
  }
}
