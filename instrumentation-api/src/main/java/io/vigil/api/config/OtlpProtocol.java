package io.vigil.api.config;

/**
 * The OTLP transport traces use. Only http/protobuf: Jaeger, the OpenTelemetry Collector, Tempo
 * and the vendors all accept it (on 4318), and it needs no HTTP/2 client on Java 8. A configured
 * {@code grpc} is a warning saying so, not a second transport.
 */
public enum OtlpProtocol {
  HTTP_PROTOBUF("http/protobuf", 4318);

  private final String configValue;
  private final int defaultPort;

  OtlpProtocol(String configValue, int defaultPort) {
    this.configValue = configValue;
    this.defaultPort = defaultPort;
  }

  public String configValue() {
    return configValue;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** Returns null for anything but a supported spelling. */
  public static OtlpProtocol fromConfigValue(String value) {
    for (OtlpProtocol protocol : values()) {
      if (protocol.configValue.equals(value)) {
        return protocol;
      }
    }
    return null;
  }
}
