package io.vigil.it.harness;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for Jaeger's OTLP/HTTP receiver: WireMock on 127.0.0.1 answering {@code /v1/traces},
 * with what it received decoded by the OTLP protobuf classes, as Jaeger would decode it.
 */
public final class OtlpReceiver implements AutoCloseable {

  private final WireMockServer server;

  public OtlpReceiver() {
    this(0);
  }

  /** On {@code port}, or a free one for 0: a collector that comes back where it was. */
  public OtlpReceiver(int port) {
    server = new WireMockServer(port == 0
        ? options().bindAddress("127.0.0.1").dynamicPort()
        : options().bindAddress("127.0.0.1").port(port));
    server.start();
    respondWith(200);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.port();
  }

  /** From now on every export is answered with {@code status}. */
  public void respondWith(int status) {
    server.resetMappings();
    server.stubFor(post(urlEqualTo("/v1/traces")).willReturn(aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/x-protobuf")
        .withBody(status == 200 ? ExportTraceServiceResponse.getDefaultInstance().toByteArray() : new byte[0])));
  }

  /** From now on every export is answered with {@code status}, after {@code delayMillis}. */
  public void respondAfter(int status, int delayMillis) {
    server.resetMappings();
    server.stubFor(post(urlEqualTo("/v1/traces")).willReturn(aResponse()
        .withStatus(status)
        .withFixedDelay(delayMillis)
        .withHeader("Content-Type", "application/x-protobuf")
        .withBody(status == 200 ? ExportTraceServiceResponse.getDefaultInstance().toByteArray() : new byte[0])));
  }

  public int port() {
    return server.port();
  }

  public int requestCount() {
    return server.findAll(postRequestedFor(urlEqualTo("/v1/traces"))).size();
  }

  public List<ExportTraceServiceRequest> requests() {
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    for (LoggedRequest request : server.findAll(postRequestedFor(urlEqualTo("/v1/traces")))) {
      try {
        requests.add(ExportTraceServiceRequest.parseFrom(request.getBody()));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the receiver got a body that is not an ExportTraceServiceRequest", e);
      }
    }
    return requests;
  }

  public List<ResourceSpans> resourceSpans() {
    List<ResourceSpans> all = new ArrayList<>();
    for (ExportTraceServiceRequest request : requests()) {
      all.addAll(request.getResourceSpansList());
    }
    return all;
  }

  public List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : resourceSpans()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        spans.addAll(scopeSpans.getSpansList());
      }
    }
    return spans;
  }

  public void reset() {
    server.resetRequests();
  }

  @Override
  public void close() {
    server.stop();
  }
}
