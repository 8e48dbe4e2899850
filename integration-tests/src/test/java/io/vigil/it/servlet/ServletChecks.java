package io.vigil.it.servlet;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import io.vigil.it.harness.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/** What the servlet ITs send to an application and read back from its metrics and spans. */
final class ServletChecks {

  static final String HISTOGRAM = "http_server_request_duration_seconds";

  private ServletChecks() {}

  /** GET {@code path} on 127.0.0.1, with a {@code traceparent} header unless it is null. */
  static HttpResponse<String> send(HttpClient http, int port, String path, String traceparent) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The request count of GET {@code route} with that status and error type; 0 without a series. */
  static double count(MetricsSnapshot metrics, String route, String status, String errorType) {
    List<Sample> found = metrics.find(HISTOGRAM + "_count", "http_request_method", "GET", "http_route", route,
        "http_response_status_code", status, "error_type", errorType);
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  /** Requests of GET {@code route} with that status and error type recorded between two scrapes. */
  static double added(MetricsSnapshot before, MetricsSnapshot after, String route, String status, String errorType) {
    return count(after, route, status, errorType) - count(before, route, status, errorType);
  }

  /** {@code vigil_exceptions_total{source="servlet"}} of that exception type; 0 without a series. */
  static double servletExceptions(MetricsSnapshot metrics, String exceptionType) {
    List<Sample> found = metrics.find("vigil_exceptions_total", "exception_type", exceptionType, "source", "servlet");
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  /** Waits until the receiver holds at least {@code atLeast} spans matching {@code which}. */
  static List<Span> awaitSpans(AgentJvm app, OtlpReceiver otlp, Predicate<Span> which, int atLeast, Duration wait) {
    List<Span> found = new ArrayList<>();
    app.await(() -> {
      found.clear();
      otlp.spans().stream().filter(which).forEach(found::add);
      return found.size() >= atLeast;
    }, wait, atLeast + " matching spans");
    return found;
  }

  static String attribute(Span span, String key) {
    return attribute(span.getAttributesList(), key);
  }

  static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        var v = kv.getValue();
        return v.hasIntValue() ? Long.toString(v.getIntValue()) : v.getStringValue();
      }
    }
    return null;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
