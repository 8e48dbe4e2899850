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
 * <p>It reaches the exporter builder as its {@link ComponentLoader}, not through a {@code
 * META-INF/services} file: the sender is chosen in code, no provider on the application's class
 * path can replace it, and nothing depends on the shaded jar rewriting a service file. Other SPIs
 * the builder asks for (compressors beyond gzip) get none, as from an empty class path.
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
