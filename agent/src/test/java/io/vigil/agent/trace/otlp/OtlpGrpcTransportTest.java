package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transport against a real grpc-java server on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpGrpcTransportTest {

  private static final int TIMEOUT_MILLIS = 5_000;

  private GrpcTestServer server;
  private OtlpGrpcTransport transport;

  @BeforeEach
  void startServer() throws Exception {
    server = GrpcTestServer.start();
    transport = transport(server.port(), Map.of());
  }

  @AfterEach
  void stopServer() throws Exception {
    transport.shutdown();
    server.close();
  }

  private static OtlpGrpcTransport transport(int port, Map<String, String> headers) {
    return new OtlpGrpcTransport(URI.create("http://127.0.0.1:" + port), headers, TIMEOUT_MILLIS);
  }

  @Test
  void smallRequestArrivesExactly() throws Exception {
    byte[] request = exportRequest(3).toByteArray();
    transport.send(request);
    assertEquals(1, server.requests.size());
    assertArrayEquals(request, server.requests.get(0));
    assertEquals(exportRequest(3), ExportTraceServiceRequest.parseFrom(server.requests.get(0)));
  }

  @Test
  void emptyRequestIsValid() throws Exception {
    transport.send(new byte[0]);
    assertEquals(0, server.requests.get(0).length);
  }

  @Test
  void requestAbove200KbIsFlowControlled() throws Exception {
    ExportTraceServiceRequest request = exportRequest(3000);
    byte[] octets = request.toByteArray();
    assertTrue(octets.length > 200 * 1024, "request is " + octets.length + " octets");
    transport.send(octets);
    assertArrayEquals(octets, server.requests.get(0));
  }

  @Test
  void requestOfSeveralWindowsWithSmallServerWindow() throws Exception {
    // The server grants 64 KiB windows and refills them only as it reads: many WINDOW_UPDATE waits.
    try (GrpcTestServer small = GrpcTestServer.start(builder -> builder.flowControlWindow(65_535))) {
      OtlpGrpcTransport toSmall = transport(small.port(), Map.of());
      byte[] octets = exportRequest(12_000).toByteArray();
      assertTrue(octets.length > 1024 * 1024, "request is " + octets.length + " octets");
      toSmall.send(octets);
      toSmall.send(octets);
      assertArrayEquals(octets, small.requests.get(0));
      assertArrayEquals(octets, small.requests.get(1));
      assertEquals(1, small.connections.get());
      toSmall.shutdown();
    }
  }

  @Test
  void manySequentialCallsShareOneConnection() throws Exception {
    for (int i = 0; i < 200; i++) {
      transport.send(exportRequest(i % 5 + 1).toByteArray());
    }
    assertEquals(200, server.requests.size());
    assertEquals(1, server.connections.get());
  }

  @Test
  void unavailableIsRetryableAndNamesEndpointAndStatus() {
    server.handler = (request, responses) ->
        responses.onError(Status.UNAVAILABLE.withDescription("collector is warming up").asRuntimeException());
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertTrue(e.retryable());
    assertEquals(
        "OTLP receiver http://127.0.0.1:" + server.port() + " (grpc) answered UNAVAILABLE (14): collector is warming up",
        e.getMessage());
  }

  @Test
  void invalidArgumentIsNotRetryable() {
    server.handler = (request, responses) ->
        responses.onError(Status.INVALID_ARGUMENT.withDescription("bad span 100% broken ü").asRuntimeException());
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertFalse(e.retryable());
    assertEquals(
        "OTLP receiver http://127.0.0.1:" + server.port() + " (grpc) answered INVALID_ARGUMENT (3): bad span 100% broken ü",
        e.getMessage());
  }

  @Test
  void otherRetryableStatuses() {
    for (Status status : List.of(Status.RESOURCE_EXHAUSTED, Status.DEADLINE_EXCEEDED, Status.ABORTED)) {
      server.handler = (request, responses) -> responses.onError(status.asRuntimeException());
      OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
      assertTrue(e.retryable(), status.toString());
    }
    for (Status status : List.of(Status.PERMISSION_DENIED, Status.UNAUTHENTICATED, Status.INTERNAL, Status.UNIMPLEMENTED)) {
      server.handler = (request, responses) -> responses.onError(status.asRuntimeException());
      OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
      assertFalse(e.retryable(), status.toString());
    }
    // Errors keep the connection: they are answers, not failures of it.
    assertEquals(1, server.connections.get());
  }

  @Test
  void errorAnswerToALargeRequestBeforeTheServerReadItAll() throws Exception {
    // grpc-java answers at once when the message exceeds its limit, and resets the rest.
    try (GrpcTestServer limited = GrpcTestServer.start(builder -> builder.maxInboundMessageSize(1024))) {
      OtlpGrpcTransport toLimited = transport(limited.port(), Map.of());
      OtlpExportException e = assertThrows(
          OtlpExportException.class, () -> toLimited.send(exportRequest(5000).toByteArray()));
      assertTrue(e.getMessage().contains("RESOURCE_EXHAUSTED (8)"), e.getMessage());
      // The connection survives and carries the next call.
      toLimited.send(new byte[10]);
      assertEquals(1, limited.connections.get());
      toLimited.shutdown();
    }
  }

  @Test
  void longStatusMessageArrivesInContinuationFrames() {
    String description = "x".repeat(40_000);
    server.handler = (request, responses) ->
        responses.onError(Status.FAILED_PRECONDITION.withDescription(description).asRuntimeException());
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertTrue(e.getMessage().endsWith("answered FAILED_PRECONDITION (9): " + description));
  }

  @Test
  void serverNotListeningIsRetryableAndFast() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    OtlpGrpcTransport nowhere = transport(port, Map.of());
    long start = System.nanoTime();
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> nowhere.send(new byte[] {1}));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.retryable());
    assertEquals("OTLP receiver http://127.0.0.1:" + port + " (grpc) refused the connection", e.getMessage());
    assertTrue(millis < 1000, "took " + millis + " ms");
  }

  @Test
  void handlerThatNeverAnswersTimesOut() throws Exception {
    server.handler = (request, responses) -> {};
    OtlpGrpcTransport quick = new OtlpGrpcTransport(URI.create("http://127.0.0.1:" + server.port()), Map.of(), 700);
    long start = System.nanoTime();
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> quick.send(new byte[] {1}));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.retryable(), e.getMessage());
    assertTrue(millis >= 650 && millis < 700 + 1000, "took " + millis + " ms: " + e.getMessage());
    // The next call works.
    server.handler = GrpcTestServer.ACCEPT;
    quick.send(new byte[] {2});
    quick.shutdown();
  }

  @Test
  void silentTcpServerTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (Exception ignored) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      OtlpGrpcTransport toSilent = new OtlpGrpcTransport(
          URI.create("http://127.0.0.1:" + silent.getLocalPort()), Map.of(), 500);
      long start = System.nanoTime();
      OtlpExportException e = assertThrows(OtlpExportException.class, () -> toSilent.send(new byte[] {1}));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(e.retryable());
      assertEquals(
          "OTLP receiver http://127.0.0.1:" + silent.getLocalPort()
              + " (grpc) did not answer within 500 ms (deadline passed while waiting for the response)",
          e.getMessage());
      assertTrue(millis >= 450 && millis < 500 + 1000, "took " + millis + " ms");
    }
  }

  @Test
  void reconnectsAfterServerRestart() throws Exception {
    transport.send(new byte[] {1});
    server.restart();
    transport.send(new byte[] {2});
    transport.send(new byte[] {3});
    assertEquals(3, server.requests.size());
    assertEquals(2, server.connections.get());
  }

  @Test
  void reconnectsAfterServerWasDownForACall() throws Exception {
    transport.send(new byte[] {1});
    server.stop();
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {2}));
    assertTrue(e.retryable());
    server.restart();
    transport.send(new byte[] {3});
    assertEquals(2, server.requests.size());
  }

  @Test
  void customHeadersReachTheServerWithLowerCaseNames() throws Exception {
    OtlpGrpcTransport withHeaders = transport(
        server.port(), Map.of("Authorization", "Bearer s3cret", "X-Tenant-ID", "acme"));
    withHeaders.send(new byte[] {1});
    Metadata headers = server.metadata.get(0);
    assertEquals("Bearer s3cret", headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
    assertEquals("acme", headers.get(Metadata.Key.of("x-tenant-id", Metadata.ASCII_STRING_MARSHALLER)));
    assertEquals("vigil-agent", headers.get(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER)).split(" ")[0]);
    String timeout = headers.get(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER));
    // grpc-java consumes grpc-timeout into the call deadline; either way it must not exceed ours.
    if (timeout != null) {
      assertTrue(Long.parseLong(timeout.substring(0, timeout.length() - 1)) <= TIMEOUT_MILLIS);
    }
    withHeaders.shutdown();
  }

  @Test
  void sendAfterShutdownIsRefused() {
    transport.shutdown();
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertFalse(e.retryable());
  }

  @Test
  void describeNamesEndpointAndProtocol() {
    assertEquals("http://127.0.0.1:" + server.port() + " (grpc)", transport.describe());
    assertEquals(
        "http://collector:80 (grpc)",
        new OtlpGrpcTransport(URI.create("http://collector"), Map.of(), 1000).describe());
    assertEquals(
        "http://[::1]:4317 (grpc)",
        new OtlpGrpcTransport(URI.create("http://[::1]:4317/ignored/path"), Map.of(), 1000).describe());
  }

  @Test
  void rejectsBadConfiguration() {
    assertThrows(IllegalArgumentException.class,
        () -> new OtlpGrpcTransport(URI.create("ftp://collector:4317"), Map.of(), 1000));
    assertThrows(IllegalArgumentException.class,
        () -> new OtlpGrpcTransport(URI.create("http://collector:4317"), Map.of(), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new OtlpGrpcTransport(URI.create("http://collector:4317"), Map.of("te", "gzip"), 1000));
    assertThrows(IllegalArgumentException.class,
        () -> new OtlpGrpcTransport(URI.create("http://collector:4317"), Map.of("bad name", "x"), 1000));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OtlpGrpcTransport(URI.create("http://collector:4317"), Map.of("authorization", "a\r\nb"), 1000));
    assertFalse(e.getMessage().contains("a\r\nb"), "must not echo a credential");
  }

  @Test
  void unknownHostIsRetryable() {
    OtlpGrpcTransport unknown = new OtlpGrpcTransport(URI.create("http://no-such-host.invalid:4317"), Map.of(), 2000);
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> unknown.send(new byte[] {1}));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("unknown host no-such-host.invalid"), e.getMessage());
  }

  /** A real OTLP request: spans with a few attributes each. */
  static ExportTraceServiceRequest exportRequest(int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[16]))
          .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, (byte) (i >>> 8), (byte) i}))
          .setName("SELECT owners " + i)
          .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
          .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
          .setEndTimeUnixNano(1_700_000_000_000_500_000L + i)
          .addAttributes(attribute("db.system.name", "postgresql"))
          .addAttributes(attribute("db.query.text", "SELECT * FROM owners WHERE id = ? AND name = ?")));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "petclinic")))
            .addScopeSpans(scope))
        .build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
