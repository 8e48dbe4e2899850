package io.vigil.agent.config;

import io.vigil.api.config.OtlpProtocol;
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
                "traces.enabled",
                "otlp.endpoint",
                "otlp.protocol",
                "otlp.headers",
                "resource.attributes",
                "traces.sampler.ratio",
                "http.route.max-cardinality",
                "jdbc.slow-query-threshold",
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
    OTEL_FALLBACKS.put("traces.sampler.ratio", "OTEL_TRACES_SAMPLER_ARG");
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
      String value = env.get(fallback.getValue());
      if (value != null && !value.trim().isEmpty()) {
        raw.put(fallback.getKey(), new RawValue(value, "environment " + fallback.getValue()));
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

    b.tracesEnabled(value("traces.enabled", true, ValueParsers::parseBoolean, "true or false"));
    OtlpProtocol protocol = value("otlp.protocol", OtlpProtocol.HTTP_PROTOBUF, t -> OtlpProtocol.fromConfigValue(t.trim()),
        "http/protobuf or grpc");
    b.otlpProtocol(protocol);
    b.otlpEndpoint(value("otlp.endpoint", "http://localhost:" + protocol.defaultPort(), ValueParsers::parseHttpUrl,
        "an http:// or https:// URL such as http://jaeger:" + protocol.defaultPort()));
    b.otlpHeaders(value("otlp.headers", Collections.<String, String>emptyMap(), ValueParsers::parseKeyValueList,
        "a comma-separated list of key=value pairs"));
    b.samplerRatio(value("traces.sampler.ratio", 1.0, ValueParsers::parseRatio, "a number from 0.0 to 1.0"));

    for (String instrumentation : INSTRUMENTATIONS) {
      b.instrumentationEnabled(instrumentation,
          value("instrumentation." + instrumentation + ".enabled", true, ValueParsers::parseBoolean, "true or false"));
    }
    b.routeMaxCardinality(value("http.route.max-cardinality", 1000, t -> ValueParsers.parseInt(t, 1, 1_000_000),
        "a whole number from 1 to 1000000"));
    b.slowQueryThresholdNanos(value("jdbc.slow-query-threshold", 1_000_000_000L, ValueParsers::parseDurationNanos,
        "a duration such as 250ms, 1s, 1.5s or 2m"));
    return b.build();
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
