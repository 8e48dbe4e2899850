package io.vigil.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics}: Prometheus text 0.0.4, or OpenMetrics (with exemplars) when the scraper's
 * {@code Accept} asks for it; gzip when the scraper accepts it.
 */
public final class MetricsHandler implements HttpHandler {

  private final CollectorRegistry registry;

  public MetricsHandler(CollectorRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (Responses.rejectUnlessRead(exchange)) {
        return;
      }
      if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
        Responses.send(exchange, 404, "text/plain; charset=utf-8", "Not found\n");
        return;
      }
      String contentType = TextFormat.chooseContentType(exchange.getRequestHeaders().getFirst("Accept"));
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 * 1024);
      try (Writer writer = new OutputStreamWriter(buffer, StandardCharsets.UTF_8)) {
        boolean openMetrics = contentType.startsWith("application/openmetrics-text");
        // OpenMetrics defines _created; in the classic format it only doubles the series of every
        // counter and histogram, which Prometheus then stores for nothing.
        TextFormat.writeFormat(contentType, writer, openMetrics
            ? registry.metricFamilySamples()
            : registry.filteredMetricFamilySamples(name -> !name.endsWith("_created")));
      }
      byte[] body = buffer.toByteArray();
      String acceptEncoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
      if (acceptEncoding != null && acceptEncoding.contains("gzip")) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
          gzip.write(body);
        }
        body = zipped.toByteArray();
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      Responses.send(exchange, 200, contentType, body);
    } finally {
      exchange.close();
    }
  }
}
