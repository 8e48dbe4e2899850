package io.vigil.agent.trace.otlp;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;

/**
 * Hands the OTLP exporter Vigil's {@link UrlConnectionHttpSender}, and remembers it so that the
 * agent's failure message can say what the collector answered.
 *
 * <p>It reaches the exporter builder as its {@link ComponentLoader} rather than through a {@code
 * META-INF/services} file: the choice of sender is then made in code, cannot be changed by another
 * provider on the application's class path, and does not depend on the shaded jar rewriting a
 * service file. Every other SPI the builder asks for (compressors beyond gzip) is answered with
 * none, as an empty class path would.
 */
public final class UrlConnectionHttpSenderProvider implements HttpSenderProvider, ComponentLoader {

  private volatile UrlConnectionHttpSender sender;

  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    try {
      UrlConnectionHttpSender created = new UrlConnectionHttpSender(config);
      sender = created;
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("the OTLP endpoint " + config.getEndpoint() + " is not a usable URL", e);
    }
  }

  @Override
  public <T> Iterable<T> load(Class<T> spi) {
    return spi == HttpSenderProvider.class
        ? Collections.singletonList(spi.cast(this))
        : Collections.<T>emptyList();
  }

  /** The last failed export's cause: an HTTP status or an I/O error, with the URL. */
  public String lastFailure() {
    UrlConnectionHttpSender current = sender;
    return current == null ? "no export attempted" : current.lastFailure();
  }
}
