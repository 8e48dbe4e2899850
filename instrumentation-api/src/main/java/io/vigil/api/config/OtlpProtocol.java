package io.vigil.api.config;

/** The two OTLP transports Jaeger accepts. */
public enum OtlpProtocol {
  HTTP_PROTOBUF("http/protobuf", 4318),
  GRPC("grpc", 4317);

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

  /** Returns null for anything but the two spellings the {@code otlp.protocol} setting allows. */
  public static OtlpProtocol fromConfigValue(String value) {
    for (OtlpProtocol protocol : values()) {
      if (protocol.configValue.equals(value)) {
        return protocol;
      }
    }
    return null;
  }
}
