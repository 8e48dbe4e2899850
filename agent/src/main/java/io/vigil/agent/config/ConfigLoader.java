package io.vigil.agent.config;

import io.vigil.agent.errors.SentryDsn;
import io.vigil.api.config.HealthDetails;
import io.vigil.api.config.OtlpProtocol;
import io.vigil.api.config.PortSecurityConfig;
import io.vigil.api.config.VigilConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Resolves the settings from their sources, highest first: system properties {@code
 * -Dvigil.<key>}; environment {@code VIGIL_<KEY>}; the properties file ({@code config=} agent
 * argument, {@code -Dvigil.config}, {@code VIGIL_CONFIG}); the standard {@code OTEL_*} variables;
 * the defaults.
 *
 * <p>Nothing here throws on bad input: an unknown key, a bad value or a missing file becomes one
 * warning naming the key, the value, the source and what is allowed, and the default is used.
 */
public final class ConfigLoader {

  static final String SYSTEM_PROPERTY_PREFIX = "vigil.";
  static final String ENV_PREFIX = "VIGIL_";

  /** Module names whose {@code instrumentation.<name>.enabled} switch is a known key. */
  public static final List<String> INSTRUMENTATIONS =
      Collections.unmodifiableList(Arrays.asList("servlet", "jdbc", "hikari"));

  private static final List<String> KEYS;
  private static final Map<String, String> OTEL_FALLBACKS = new LinkedHashMap<>();

  static {
    List<String> keys =
        new ArrayList<>(
            Arrays.asList(
                "service.name",
                "prometheus.enabled",
                "prometheus.host",
                "prometheus.port",
                "prometheus.tls.certificate",
                "prometheus.tls.private-key",
                "prometheus.tls.client-ca",
                "prometheus.auth.username",
                "prometheus.auth.password",
                "prometheus.auth.password-file",
                "prometheus.auth.bearer-token-file",
                "health.details",
                "traces.enabled",
                "otlp.endpoint",
                "otlp.protocol",
                "otlp.headers",
                "otlp.compression",
                "otlp.timeout",
                "otlp.certificate",
                "otlp.client.certificate",
                "otlp.client.key",
                "resource.attributes",
                "traces.sampler.ratio",
                "http.route.max-cardinality",
                "jdbc.slow-query-threshold",
                "jdbc.span.min-duration",
                "errors.max-groups",
                "errors.sentry.dsn",
                "errors.sentry.rate",
                "errors.environment",
                "log.level"));
    for (String instrumentation : INSTRUMENTATIONS) {
      keys.add("instrumentation." + instrumentation + ".enabled");
    }
    KEYS = Collections.unmodifiableList(keys);

    OTEL_FALLBACKS.put("service.name", "OTEL_SERVICE_NAME");
    OTEL_FALLBACKS.put("resource.attributes", "OTEL_RESOURCE_ATTRIBUTES");
    OTEL_FALLBACKS.put("otlp.endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT");
    OTEL_FALLBACKS.put("otlp.protocol", "OTEL_EXPORTER_OTLP_PROTOCOL");
    OTEL_FALLBACKS.put("otlp.headers", "OTEL_EXPORTER_OTLP_HEADERS");
    OTEL_FALLBACKS.put("otlp.compression", "OTEL_EXPORTER_OTLP_COMPRESSION");
    OTEL_FALLBACKS.put("otlp.timeout", "OTEL_EXPORTER_OTLP_TIMEOUT");
    OTEL_FALLBACKS.put("otlp.certificate", "OTEL_EXPORTER_OTLP_CERTIFICATE");
    OTEL_FALLBACKS.put("otlp.client.certificate", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE");
    OTEL_FALLBACKS.put("otlp.client.key", "OTEL_EXPORTER_OTLP_CLIENT_KEY");
    OTEL_FALLBACKS.put("traces.sampler.ratio", "OTEL_TRACES_SAMPLER_ARG");
    // Not OpenTelemetry's, but the variable every Sentry SDK reads.
    OTEL_FALLBACKS.put("errors.sentry.dsn", "SENTRY_DSN");
  }

  private final List<String> warnings = new ArrayList<>();
  private final Map<String, RawValue> raw = new HashMap<>();

  private ConfigLoader() {}

  /** Every key a user may set. */
  public static List<String> knownKeys() {
    return KEYS;
  }

  /** The environment variable name of a key: upper case, {@code .} and {@code -} become {@code _}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public static LoadedConfig load(
      String agentArgs, Properties systemProperties, Map<String, String> env, String defaultServiceName) {
    ConfigLoader loader = new ConfigLoader();
    loader.collect(agentArgs, systemProperties, env);
    VigilConfig config = loader.resolve(defaultServiceName);
    return new LoadedConfig(config, loader.warnings);
  }

  private void collect(String agentArgs, Properties systemProperties, Map<String, String> env) {
    // Lowest first, so a higher source simply overwrites.
    for (Map.Entry<String, String> fallback : OTEL_FALLBACKS.entrySet()) {
      // The signal-specific OTEL_EXPORTER_OTLP_TRACES_* form wins over the general one, as in the
      // SDK; not for the endpoint, whose TRACES_ form is a full URL where the general one is a base.
      String name = fallback.getValue();
      String tracesName = name.replace("OTEL_EXPORTER_OTLP_", "OTEL_EXPORTER_OTLP_TRACES_");
      for (String variable : name.endsWith("_ENDPOINT") ? new String[] {name} : new String[] {name, tracesName}) {
        String value = env.get(variable);
        if (value != null && !value.trim().isEmpty()) {
          raw.put(fallback.getKey(), new RawValue(value, "environment " + variable));
        }
      }
    }
    readFile(configFile(agentArgs, systemProperties, env));
    Map<String, String> envKeys = new HashMap<>();
    for (String key : KEYS) {
      envKeys.put(envName(key), key);
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.equals("VIGIL_CONFIG")) {
        continue;
      }
      String key = envKeys.get(name);
      if (key == null) {
        warnings.add(unknownKey(name, "the environment", envKeys.keySet()));
      } else {
        raw.put(key, new RawValue(e.getValue(), "environment " + name));
      }
    }
    for (String name : new java.util.TreeSet<>(systemProperties.stringPropertyNames())) {
      if (!name.startsWith(SYSTEM_PROPERTY_PREFIX) || name.equals("vigil.config")) {
        continue;
      }
      String key = name.substring(SYSTEM_PROPERTY_PREFIX.length());
      if (!KEYS.contains(key)) {
        warnings.add(unknownKey("-D" + name, "the system properties", prefixed("-D" + SYSTEM_PROPERTY_PREFIX)));
      } else {
        raw.put(key, new RawValue(systemProperties.getProperty(name), "-D" + name));
      }
    }
  }

  /** Returns {path, where it was named}, or null. */
  private String[] configFile(String agentArgs, Properties systemProperties, Map<String, String> env) {
    if (agentArgs != null && !agentArgs.trim().isEmpty()) {
      String fromArgs = null;
      for (String arg : agentArgs.split(",")) {
        String a = arg.trim();
        if (a.startsWith("config=")) {
          fromArgs = a.substring("config=".length()).trim();
        } else if (!a.isEmpty()) {
          // Only the name: "otlp.headers=Authorization=Bearer ..." given here must not be echoed.
          int eq = a.indexOf('=');
          warnings.add(
              "Unknown agent argument '" + (eq < 0 ? a : a.substring(0, eq) + "=...") + "'; ignored. The agent takes config=<path to a"
                  + " properties file>; set other keys there, as -Dvigil.<key> or as VIGIL_<KEY>.");
        }
      }
      if (fromArgs != null && !fromArgs.isEmpty()) {
        return new String[] {fromArgs, "agent argument config="};
      }
    }
    String fromProperty = systemProperties.getProperty("vigil.config");
    if (fromProperty != null && !fromProperty.trim().isEmpty()) {
      return new String[] {fromProperty.trim(), "-Dvigil.config"};
    }
    String fromEnv = env.get("VIGIL_CONFIG");
    if (fromEnv != null && !fromEnv.trim().isEmpty()) {
      return new String[] {fromEnv.trim(), "environment VIGIL_CONFIG"};
    }
    return null;
  }

  private void readFile(String[] file) {
    if (file == null) {
      return;
    }
    Path path = Paths.get(file[0]);
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(path);
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      warnings.add(
          "Config file " + path + " (named by " + file[1] + ") does not exist; running with the"
              + " system properties, environment and defaults.");
      return;
    } catch (IOException | IllegalArgumentException e) {
      warnings.add(
          "Config file " + path + " (named by " + file[1] + ") could not be read (" + e
              + "); running with the system properties, environment and defaults.");
      return;
    }
    for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
      // "vigil.prometheus.port" in the file is forgiven: it is what -D would take.
      String key = name.startsWith(SYSTEM_PROPERTY_PREFIX) ? name.substring(SYSTEM_PROPERTY_PREFIX.length()) : name;
      if (!KEYS.contains(key)) {
        warnings.add(unknownKey(name, path.toString(), KEYS));
      } else {
        raw.put(key, new RawValue(properties.getProperty(name), path.toString()));
      }
    }
  }

  private VigilConfig resolve(String defaultServiceName) {
    VigilConfig.Builder b = VigilConfig.builder();

    String logLevel =
        value("log.level", "info", t -> {
          String l = t.trim().toLowerCase(Locale.ROOT);
          return Arrays.asList("off", "error", "warn", "info", "debug", "trace").contains(l) ? l : null;
        }, "one of off, error, warn, info, debug, trace");
    b.logLevel(logLevel);

    Map<String, String> resource =
        value("resource.attributes", Collections.<String, String>emptyMap(), ValueParsers::parseKeyValueList,
            "a comma-separated list of key=value pairs");
    b.resourceAttributes(resource);
    String serviceFromResource = resource.get("service.name");
    String serviceDefault =
        serviceFromResource != null && !serviceFromResource.isEmpty() ? serviceFromResource : defaultServiceName;
    b.serviceName(value("service.name", serviceDefault, ConfigLoader::nonEmpty, "a non-empty name"));

    b.prometheusEnabled(value("prometheus.enabled", true, ValueParsers::parseBoolean, "true or false"));
    b.prometheusHost(value("prometheus.host", "0.0.0.0", ConfigLoader::nonEmpty, "a host name or address"));
    b.prometheusPort(value("prometheus.port", 9464, t -> ValueParsers.parseInt(t, 0, 65535),
        "a port number from 0 to 65535 (0 picks a free port)"));
    b.portSecurity(portSecurity());

    b.tracesEnabled(value("traces.enabled", true, ValueParsers::parseBoolean, "true or false"));
    resolveOtlp(b);
    b.samplerRatio(value("traces.sampler.ratio", 1.0, ValueParsers::parseRatio, "a number from 0.0 to 1.0"));

    for (String instrumentation : INSTRUMENTATIONS) {
      b.instrumentationEnabled(instrumentation,
          value("instrumentation." + instrumentation + ".enabled", true, ValueParsers::parseBoolean, "true or false"));
    }
    b.routeMaxCardinality(value("http.route.max-cardinality", 1000, t -> ValueParsers.parseInt(t, 1, 1_000_000),
        "a whole number from 1 to 1000000"));
    b.slowQueryThresholdNanos(value("jdbc.slow-query-threshold", 1_000_000_000L, ValueParsers::parseDurationNanos,
        "a duration such as 250ms, 1s, 1.5s or 2m"));
    b.jdbcSpanMinDurationNanos(value("jdbc.span.min-duration", 0L, ValueParsers::parseDurationNanos,
        "a duration such as 0 (every statement traced), 0.5ms, 2ms or 1s"));
    b.errorsMaxGroups(value("errors.max-groups", 500, t -> ValueParsers.parseInt(t, 1, 100_000),
        "a whole number from 1 to 100000"));
    b.sentryDsn(value("errors.sentry.dsn", null, t -> SentryDsn.parse(t) == null ? null : t.trim(),
        "a Sentry DSN such as https://<public key>@o1.ingest.sentry.io/<project id>"));
    b.sentryRatePerMinute(value("errors.sentry.rate", 10, t -> ValueParsers.parseInt(t, 0, 10_000),
        "events per minute, a whole number from 0 to 10000 (0 sends only each group's first)"));
    b.errorsEnvironment(value("errors.environment", null, ConfigLoader::nonEmpty, "a non-empty name"));
    return b.build();
  }

  /**
   * The port's TLS, authentication and health-details settings. The password is taken as given and
   * never passes through {@link #value}, whose warnings quote the text: a secret must not reach the
   * log even when it is malformed. Whether the settings fit together is checked where the port
   * opens, which keeps the port off rather than open when they do not.
   */
  private PortSecurityConfig portSecurity() {
    RawValue password = raw.get("prometheus.auth.password");
    PortSecurityConfig.Builder security = PortSecurityConfig.builder()
        .tls(path("prometheus.tls.certificate"), path("prometheus.tls.private-key"),
            path("prometheus.tls.client-ca"))
        .basicAuth(
            value("prometheus.auth.username", null, ConfigLoader::nonEmpty, "a user name"),
            password == null || password.text == null || password.text.isEmpty() ? null : password.text,
            path("prometheus.auth.password-file"))
        .bearerTokenFile(path("prometheus.auth.bearer-token-file"));
    HealthDetails byDefault = security.build().healthDetails();
    return security
        .healthDetails(
            value("health.details", byDefault, HealthDetails::fromConfigValue, "always, authorized or never"))
        .build();
  }

  private String path(String key) {
    return value(key, null, ConfigLoader::nonEmpty, "the path of a file");
  }

  private void resolveOtlp(VigilConfig.Builder b) {
    RawValue grpc = raw.get("otlp.protocol");
    if (grpc != null && grpc.text != null && grpc.text.trim().equalsIgnoreCase("grpc")) {
      raw.remove("otlp.protocol");
    }
    OtlpProtocol protocol = value("otlp.protocol", OtlpProtocol.HTTP_PROTOBUF, t -> OtlpProtocol.fromConfigValue(t.trim()),
        "http/protobuf");
    b.otlpProtocol(protocol);
    String endpoint = value("otlp.endpoint", "http://localhost:" + protocol.defaultPort(), ValueParsers::parseHttpUrl,
        "an http:// or https:// URL such as http://jaeger:" + protocol.defaultPort());
    b.otlpEndpoint(endpoint);
    if (grpc != null && raw.get("otlp.protocol") == null) {
      warnings.add("otlp.protocol=grpc (from " + grpc.source + ") is not supported: Vigil sends traces over OTLP"
          + " http/protobuf, which Jaeger, the OpenTelemetry Collector, Tempo and the vendors accept on port 4318."
          + " Set otlp.protocol=http/protobuf (or leave it out) and otlp.endpoint to that port; until then traces"
          + " go to " + endpoint + " over http/protobuf.");
    }
    b.otlpHeaders(value("otlp.headers", Collections.<String, String>emptyMap(), ValueParsers::parseKeyValueList,
        "a comma-separated list of key=value pairs"));
    b.otlpCompression(value("otlp.compression", "none", t -> {
      String c = t.trim().toLowerCase(Locale.ROOT);
      return c.equals("gzip") || c.equals("none") ? c : null;
    }, "gzip or none"));
    b.otlpTimeoutNanos(value("otlp.timeout", 10_000_000_000L, t -> {
      Long nanos = ValueParsers.parseDurationNanos(t);
      return nanos == null || nanos <= 0 ? null : nanos;
    }, "a duration such as 500ms, 10s or 1m, or a number of milliseconds"));
    String pem = "the path of a readable PEM file";
    b.otlpCertificate(value("otlp.certificate", null, ConfigLoader::readableFile, pem));
    String clientCertificate = value("otlp.client.certificate", null, ConfigLoader::readableFile, pem);
    String clientKey = value("otlp.client.key", null, ConfigLoader::readableFile, pem);
    if ((clientCertificate == null) != (clientKey == null)) {
      warnings.add("Mutual TLS needs both otlp.client.certificate and otlp.client.key; only "
          + (clientKey == null ? "otlp.client.certificate" : "otlp.client.key")
          + " is set, so no client certificate is sent.");
      clientCertificate = null;
      clientKey = null;
    }
    b.otlpClientTls(clientCertificate, clientKey);
  }

  private static String readableFile(String text) {
    try {
      Path path = Paths.get(text.trim());
      return Files.isRegularFile(path) && Files.isReadable(path) ? path.toString() : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  private <T> T value(String key, T defaultValue, Function<String, T> parser, String allowed) {
    RawValue rawValue = raw.get(key);
    if (rawValue == null) {
      return defaultValue;
    }
    T parsed = rawValue.text == null ? null : parser.apply(rawValue.text);
    if (parsed == null) {
      // The value is shown only through SecretSettings: a malformed secret is still a secret.
      warnings.add(
          "Invalid value " + SecretSettings.shown(key, rawValue.text) + " for " + key + " (from " + rawValue.source
              + "): expected " + allowed + "; using the default " + describe(defaultValue) + ".");
      return defaultValue;
    }
    return parsed;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "(none)";
    }
    if (value instanceof HealthDetails) {
      return ((HealthDetails) value).configValue();
    }
    if (value instanceof OtlpProtocol) {
      return ((OtlpProtocol) value).configValue();
    }
    if (value instanceof Long) {
      return (((Long) value) / 1_000_000L) + "ms";
    }
    if (value instanceof Map && ((Map<?, ?>) value).isEmpty()) {
      return "(none)";
    }
    return String.valueOf(value);
  }

  private static String nonEmpty(String text) {
    String t = text.trim();
    return t.isEmpty() ? null : t;
  }

  private static List<String> prefixed(String prefix) {
    List<String> names = new ArrayList<>();
    for (String key : KEYS) {
      names.add(prefix + key);
    }
    return names;
  }

  private static String unknownKey(String name, String where, Iterable<String> known) {
    String suggestion = Suggestions.closest(name, known);
    return "Unknown configuration key '" + name + "' in " + where + "; ignored."
        + (suggestion == null ? "" : " Did you mean '" + suggestion + "'?");
  }
}
