package io.vigil.agent.trace.otlp;

import io.vigil.api.config.OtlpProtocol;
import io.vigil.api.config.VigilConfig;
import java.io.IOException;
import java.net.URI;

/** Picks the transport for {@code otlp.protocol}. */
public final class OtlpTransports {

  static final int TIMEOUT_MILLIS = 10_000;

  private OtlpTransports() {}

  public static OtlpTransport create(VigilConfig config) throws IOException {
    if (config.otlpProtocol() == OtlpProtocol.GRPC) {
      try {
        return new OtlpGrpcTransport(URI.create(config.otlpEndpoint().trim()), config.otlpHeaders(), TIMEOUT_MILLIS);
      } catch (IllegalArgumentException e) {
        throw new IOException("otlp.endpoint " + config.otlpEndpoint() + " cannot be used with grpc: " + e.getMessage(), e);
      }
    }
    return new OtlpHttpTransport(config.otlpEndpoint(), config.otlpHeaders(), TIMEOUT_MILLIS);
  }
}
