package io.vigil.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent's settings, resolved and validated once at start (see the agent's {@code ConfigLoader}
 * for the sources and their precedence). Immutable.
 */
public final class VigilConfig {

  private final String serviceName;
  private final boolean prometheusEnabled;
  private final String prometheusHost;
  private final int prometheusPort;
  private final PortSecurityConfig portSecurity;
  private final boolean tracesEnabled;
  private final String otlpEndpoint;
  private final OtlpProtocol otlpProtocol;
  private final Map<String, String> otlpHeaders;
  private final String otlpCompression;
  private final String otlpCertificate;
  private final String otlpClientCertificate;
  private final String otlpClientKey;
  private final long otlpTimeoutNanos;
  private final Map<String, String> resourceAttributes;
  private final double samplerRatio;
  private final Set<String> disabledInstrumentations;
  private final int routeMaxCardinality;
  private final long slowQueryThresholdNanos;
  private final long jdbcSpanMinDurationNanos;
  private final String logLevel;
  private final int errorsMaxGroups;
  private final String sentryDsn;
  private final int sentryRatePerMinute;
  private final String errorsEnvironment;

  private VigilConfig(Builder b) {
    this.serviceName = b.serviceName;
    this.prometheusEnabled = b.prometheusEnabled;
    this.prometheusHost = b.prometheusHost;
    this.prometheusPort = b.prometheusPort;
    this.portSecurity = b.portSecurity;
    this.tracesEnabled = b.tracesEnabled;
    this.otlpEndpoint = b.otlpEndpoint;
    this.otlpProtocol = b.otlpProtocol;
    this.otlpHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.otlpHeaders));
    this.otlpCompression = b.otlpCompression;
    this.otlpCertificate = b.otlpCertificate;
    this.otlpClientCertificate = b.otlpClientCertificate;
    this.otlpClientKey = b.otlpClientKey;
    this.otlpTimeoutNanos = b.otlpTimeoutNanos;
    this.resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.resourceAttributes));
    this.samplerRatio = b.samplerRatio;
    this.disabledInstrumentations = Collections.unmodifiableSet(new TreeSet<>(b.disabledInstrumentations));
    this.routeMaxCardinality = b.routeMaxCardinality;
    this.slowQueryThresholdNanos = b.slowQueryThresholdNanos;
    this.jdbcSpanMinDurationNanos = b.jdbcSpanMinDurationNanos;
    this.logLevel = b.logLevel;
    this.errorsMaxGroups = b.errorsMaxGroups;
    this.sentryDsn = b.sentryDsn;
    this.sentryRatePerMinute = b.sentryRatePerMinute;
    this.errorsEnvironment = b.errorsEnvironment;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String serviceName() {
    return serviceName;
  }

  public boolean prometheusEnabled() {
    return prometheusEnabled;
  }

  public String prometheusHost() {
    return prometheusHost;
  }

  public int prometheusPort() {
    return prometheusPort;
  }

  /** TLS, authentication and health details of the agent port. */
  public PortSecurityConfig portSecurity() {
    return portSecurity;
  }

  public boolean tracesEnabled() {
    return tracesEnabled;
  }

  /** Base endpoint as configured; the HTTP transport appends {@code /v1/traces}. */
  public String otlpEndpoint() {
    return otlpEndpoint;
  }

  public OtlpProtocol otlpProtocol() {
    return otlpProtocol;
  }

  /** May carry a bearer token: never log the values. */
  public Map<String, String> otlpHeaders() {
    return otlpHeaders;
  }

  /** {@code gzip} or {@code none}. */
  public String otlpCompression() {
    return otlpCompression;
  }

  /** PEM file of the CA certificates to trust for the collector; null: the JVM's trust store. */
  public String otlpCertificate() {
    return otlpCertificate;
  }

  /** PEM client certificate (chain) for mutual TLS; set together with the key, or neither. */
  public String otlpClientCertificate() {
    return otlpClientCertificate;
  }

  /** PEM PKCS#8 private key of the client certificate. */
  public String otlpClientKey() {
    return otlpClientKey;
  }

  /** Time one export may take, retries included. */
  public long otlpTimeoutNanos() {
    return otlpTimeoutNanos;
  }

  public Map<String, String> resourceAttributes() {
    return resourceAttributes;
  }

  public double samplerRatio() {
    return samplerRatio;
  }

  public boolean instrumentationEnabled(String name) {
    return !disabledInstrumentations.contains(name);
  }

  public int routeMaxCardinality() {
    return routeMaxCardinality;
  }

  public long slowQueryThresholdNanos() {
    return slowQueryThresholdNanos;
  }

  /**
   * Statements faster than this get no span (their metrics are recorded all the same); 0, the
   * default, traces every statement.
   */
  public long jdbcSpanMinDurationNanos() {
    return jdbcSpanMinDurationNanos;
  }

  public String logLevel() {
    return logLevel;
  }

  /** Error groups kept in memory. */
  public int errorsMaxGroups() {
    return errorsMaxGroups;
  }

  /** Null when errors are not forwarded to Sentry. */
  public String sentryDsn() {
    return sentryDsn;
  }

  /** Events per minute sent to Sentry beyond each group's first. */
  public int sentryRatePerMinute() {
    return sentryRatePerMinute;
  }

  /** Sentry's {@code environment}; null when not set. */
  public String errorsEnvironment() {
    return errorsEnvironment;
  }

  /** Starts from the documented defaults (the README's configuration tables). */
  public static final class Builder {
    private String serviceName = "unknown_service:java";
    private boolean prometheusEnabled = true;
    private String prometheusHost = "0.0.0.0";
    private int prometheusPort = 9464;
    private PortSecurityConfig portSecurity = PortSecurityConfig.NONE;
    private boolean tracesEnabled = true;
    private String otlpEndpoint = "http://localhost:4318";
    private OtlpProtocol otlpProtocol = OtlpProtocol.HTTP_PROTOBUF;
    private Map<String, String> otlpHeaders = Collections.emptyMap();
    private String otlpCompression = "none";
    private String otlpCertificate;
    private String otlpClientCertificate;
    private String otlpClientKey;
    private long otlpTimeoutNanos = 10_000_000_000L;
    private Map<String, String> resourceAttributes = Collections.emptyMap();
    private double samplerRatio = 1.0;
    private final Set<String> disabledInstrumentations = new TreeSet<>();
    private int routeMaxCardinality = 1000;
    private long slowQueryThresholdNanos = 1_000_000_000L;
    private long jdbcSpanMinDurationNanos;
    private String logLevel = "info";
    private int errorsMaxGroups = 500;
    private String sentryDsn;
    private int sentryRatePerMinute = 10;
    private String errorsEnvironment;

    private Builder() {}

    public Builder serviceName(String v) {
      serviceName = v;
      return this;
    }

    public Builder prometheusEnabled(boolean v) {
      prometheusEnabled = v;
      return this;
    }

    public Builder prometheusHost(String v) {
      prometheusHost = v;
      return this;
    }

    public Builder prometheusPort(int v) {
      prometheusPort = v;
      return this;
    }

    public Builder portSecurity(PortSecurityConfig v) {
      portSecurity = v;
      return this;
    }

    public Builder tracesEnabled(boolean v) {
      tracesEnabled = v;
      return this;
    }

    public Builder otlpEndpoint(String v) {
      otlpEndpoint = v;
      return this;
    }

    public Builder otlpProtocol(OtlpProtocol v) {
      otlpProtocol = v;
      return this;
    }

    public Builder otlpHeaders(Map<String, String> v) {
      otlpHeaders = v;
      return this;
    }

    public Builder otlpCompression(String v) {
      otlpCompression = v;
      return this;
    }

    public Builder otlpCertificate(String v) {
      otlpCertificate = v;
      return this;
    }

    /** The client certificate and its key: mutual TLS needs both. */
    public Builder otlpClientTls(String certificate, String key) {
      otlpClientCertificate = certificate;
      otlpClientKey = key;
      return this;
    }

    public Builder otlpTimeoutNanos(long v) {
      otlpTimeoutNanos = v;
      return this;
    }

    public Builder resourceAttributes(Map<String, String> v) {
      resourceAttributes = v;
      return this;
    }

    public Builder samplerRatio(double v) {
      samplerRatio = v;
      return this;
    }

    public Builder instrumentationEnabled(String name, boolean enabled) {
      if (enabled) {
        disabledInstrumentations.remove(name);
      } else {
        disabledInstrumentations.add(name);
      }
      return this;
    }

    public Builder routeMaxCardinality(int v) {
      routeMaxCardinality = v;
      return this;
    }

    public Builder slowQueryThresholdNanos(long v) {
      slowQueryThresholdNanos = v;
      return this;
    }

    public Builder jdbcSpanMinDurationNanos(long v) {
      jdbcSpanMinDurationNanos = v;
      return this;
    }

    public Builder logLevel(String v) {
      logLevel = v;
      return this;
    }

    public Builder errorsMaxGroups(int v) {
      errorsMaxGroups = v;
      return this;
    }

    public Builder sentryDsn(String v) {
      sentryDsn = v;
      return this;
    }

    public Builder sentryRatePerMinute(int v) {
      sentryRatePerMinute = v;
      return this;
    }

    public Builder errorsEnvironment(String v) {
      errorsEnvironment = v;
      return this;
    }

    public VigilConfig build() {
      return new VigilConfig(this);
    }
  }
}
