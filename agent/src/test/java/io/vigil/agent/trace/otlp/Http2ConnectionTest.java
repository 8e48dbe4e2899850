package io.vigil.agent.trace.otlp;

import static io.vigil.agent.trace.otlp.ScriptedHttp2Server.block;
import static io.vigil.agent.trace.otlp.ScriptedHttp2Server.indexedLiteral;
import static io.vigil.agent.trace.otlp.ScriptedHttp2Server.literal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.agent.trace.otlp.ScriptedHttp2Server.Frame;
import io.vigil.agent.trace.otlp.ScriptedHttp2Server.Peer;
import io.vigil.agent.trace.otlp.ScriptedHttp2Server.Request;
import java.net.URI;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 behaviours of the transport against a scripted server: each test writes the frames a
 * server may send and checks what the client sends back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2ConnectionTest {

  private static final int MAX_WINDOW = Integer.MAX_VALUE;

  private ScriptedHttp2Server server;
  private OtlpGrpcTransport transport;

  @AfterEach
  void stop() throws Exception {
    if (transport != null) {
      transport.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }

  private OtlpGrpcTransport connect(ScriptedHttp2Server server, int timeoutMillis) {
    this.server = server;
    this.transport = new OtlpGrpcTransport(URI.create("http://127.0.0.1:" + server.port()), Map.of(), timeoutMillis);
    return transport;
  }

  private static byte[] randomBytes(int length) {
    byte[] octets = new byte[length];
    new Random(length).nextBytes(octets);
    return octets;
  }

  /** The request body gRPC puts on the wire for {@code message}. */
  private static byte[] framed(byte[] message) {
    return OtlpGrpcTransport.grpcMessage(message);
  }

  @Test
  void requestHeadersAndBodyOnTheWire() throws Throwable {
    byte[] message = randomBytes(100);
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request request = peer.readRequest();
      assertEquals(1, request.streamId);
      assertEquals(
          HpackDecoderTest.fields(
              ":method", "POST", ":scheme", "http", ":path", OtlpGrpcTransport.PATH,
              ":authority", "127.0.0.1:" + peer.socket.getLocalPort(),
              "content-type", "application/grpc", "te", "trailers", "user-agent", "vigil-agent"),
          new HpackDecoder(4096, 65536).decode(request.headerBlock.toByteArray()).subList(0, 7));
      byte[] body = request.body.toByteArray();
      assertEquals("0000000064", Hex.encode(java.util.Arrays.copyOf(body, 5)));
      assertArrayEquals(framed(message), body);
      peer.respondOk(request.streamId);
      peer.awaitClose();
    }), 5000).send(message);
    transport.shutdown();
    server.finish();
  }

  @Test
  void exchangeReturnsHeadersBodyAndTrailers() throws Throwable {
    server = new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request request = peer.readRequest();
      assertArrayEquals(new byte[] {1, 2, 3}, request.body.toByteArray());
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, request.streamId,
          block("88", literal("content-type", "application/grpc")));
      peer.write(Http2Frame.DATA, 0, request.streamId, Hex.decode("0000000003" + "0a0102"));
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, request.streamId,
          block(literal("grpc-status", "0"), literal("x-trailer", "t")));
      peer.awaitClose();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Http2Connection connection = Http2Connection.start(SocketDeadlineChannel.connect(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()), deadline));
    Http2Response response = connection.exchange(
        HpackDecoderTest.fields(":method", "POST", ":scheme", "http", ":path", "/p", ":authority", "a"),
        new byte[] {1, 2, 3},
        deadline);
    assertTrue(response.complete());
    assertEquals(-1, response.resetCode());
    assertFalse(response.unprocessed());
    assertEquals("200", response.header(":status"));
    assertEquals("application/grpc", response.value("content-type"));
    assertEquals("0", response.value("grpc-status"));
    assertEquals("t", response.value("x-trailer"));
    assertEquals(null, response.header("x-trailer"));
    assertEquals("00000000030a0102", Hex.encode(response.body()));
    assertTrue(connection.isReusable(deadline));
    connection.close(deadline);
    assertTrue(connection.isClosed());
    assertFalse(connection.isReusable(deadline));
    server.finish();
  }

  @Test
  void pingIsAcknowledgedWithItsPayload() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request request = peer.readRequest();
      peer.write(Http2Frame.PING, 0, 0, Hex.decode("0102030405060708"));
      Frame ack;
      do {
        ack = peer.readFrame();
      } while (ack.type != Http2Frame.PING);
      assertTrue(ack.has(Http2Frame.FLAG_ACK));
      assertEquals("0102030405060708", Hex.encode(ack.payload));
      peer.respondOk(request.streamId);
      peer.awaitClose();
    }), 5000).send(new byte[] {1});
    transport.shutdown();
    server.finish();
  }

  @Test
  void settingsAreAcknowledged() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.readPreface();
      Frame clientSettings = peer.readFrame();
      assertEquals(Http2Frame.SETTINGS, clientSettings.type);
      // ENABLE_PUSH 0, MAX_HEADER_LIST_SIZE 65536
      assertEquals("000200000000" + "000600010000", Hex.encode(clientSettings.payload));
      peer.settings(Http2Frame.SETTINGS_MAX_CONCURRENT_STREAMS, 100);
      Request request = peer.readRequest();
      Frame frame;
      do {
        frame = peer.readFrame();
      } while (frame.type != Http2Frame.SETTINGS);
      assertTrue(frame.has(Http2Frame.FLAG_ACK));
      assertEquals(0, frame.payload.length);
      peer.respondOk(request.streamId);
      peer.awaitClose();
    }), 5000).send(new byte[] {1});
    transport.shutdown();
    server.finish();
  }

  @Test
  void dataFramesGrowToThePeersMaxFrameSize() throws Throwable {
    byte[] message = randomBytes(300_000);
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake(Http2Frame.SETTINGS_MAX_FRAME_SIZE, 65_536, Http2Frame.SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20);
      peer.windowUpdate(0, 1 << 20);
      Request request = peer.readRequest();
      int largest = 0;
      for (Frame frame : request.frames) {
        if (frame.type == Http2Frame.DATA) {
          largest = Math.max(largest, frame.payload.length);
        }
      }
      assertEquals(65_536, largest);
      assertArrayEquals(framed(message), request.body.toByteArray());
      peer.respondOk(request.streamId);
      peer.awaitClose();
    }), 5000).send(message);
    transport.shutdown();
    server.finish();
  }

  @Test
  void requestWaitsForWindowUpdatesAndNeverOverrunsAWindow() throws Throwable {
    byte[] message = randomBytes(200_000);
    connect(new ScriptedHttp2Server(peer -> {
      // A stream window of 1000 octets, refilled slowly, 1000 at a time. Until the client
      // acknowledges the SETTINGS, it may spend the default 65 535 (RFC 9113 6.9.2).
      peer.handshake(Http2Frame.SETTINGS_INITIAL_WINDOW_SIZE, 1000);
      long connectionWindow = 65_535;
      long streamWindow = 65_535;
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
      int streamId = 0;
      int waits = 0;
      while (true) {
        Frame frame = peer.readFrame();
        if (frame.type == Http2Frame.HEADERS) {
          streamId = frame.streamId;
        } else if (frame.type == Http2Frame.SETTINGS && frame.has(Http2Frame.FLAG_ACK)) {
          streamWindow += 1000 - 65_535;
        } else if (frame.type == Http2Frame.DATA) {
          assertTrue(frame.payload.length <= 16_384);
          connectionWindow -= frame.payload.length;
          streamWindow -= frame.payload.length;
          assertTrue(connectionWindow >= 0 && streamWindow >= 0, "window overrun");
          body.write(frame.payload);
          if (frame.has(Http2Frame.FLAG_END_STREAM)) {
            break;
          }
        }
        if (streamId != 0 && streamWindow <= 0) {
          waits++;
          Thread.sleep(1);
          int increment = (int) (1000 - streamWindow);
          peer.windowUpdate(streamId, increment);
          peer.windowUpdate(0, increment);
          streamWindow += increment;
          connectionWindow += increment;
        }
      }
      assertTrue(waits >= 100, "waited " + waits + " times");
      assertArrayEquals(framed(message), body.toByteArray());
      peer.respondOk(streamId);
      peer.awaitClose();
    }), 10_000).send(message);
    transport.shutdown();
    server.finish();
  }

  @Test
  void streamWindowShrunkBySettingsMidRequestIsRespected() throws Throwable {
    byte[] message = randomBytes(100_000);
    connect(new ScriptedHttp2Server(peer -> {
      peer.readPreface();
      // Let the client spend its default windows first, then cut the stream window to 10 000:
      // RFC 9113 6.9.2 takes the open stream's window below zero.
      long received = 0;
      int streamId = 0;
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
      while (received < 65_535) {
        Frame frame = peer.readFrame();
        if (frame.type == Http2Frame.HEADERS) {
          streamId = frame.streamId;
        }
        if (frame.type == Http2Frame.DATA) {
          received += frame.payload.length;
          body.write(frame.payload);
        }
      }
      peer.settings(Http2Frame.SETTINGS_INITIAL_WINDOW_SIZE, 10_000);
      peer.windowUpdate(0, MAX_WINDOW - 65_535);
      // Stream window is now 10 000 - 65 535 = -55 535; this update leaves it at 10 000.
      peer.windowUpdate(streamId, 65_535);
      long streamWindow = 10_000;
      while (true) {
        Frame frame = peer.readFrame();
        if (frame.type != Http2Frame.DATA) {
          continue;
        }
        streamWindow -= frame.payload.length;
        assertTrue(streamWindow >= 0, "stream window overrun");
        body.write(frame.payload);
        if (frame.has(Http2Frame.FLAG_END_STREAM)) {
          break;
        }
        if (streamWindow == 0) {
          peer.windowUpdate(streamId, 10_000);
          streamWindow = 10_000;
        }
      }
      assertArrayEquals(framed(message), body.toByteArray());
      peer.respondOk(streamId);
      peer.awaitClose();
    }), 10_000).send(message);
    transport.shutdown();
    server.finish();
  }

  @Test
  void largeResponseIsAcknowledgedWithWindowUpdates() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request request = peer.readRequest();
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, request.streamId,
          block("88", literal("content-type", "application/grpc")));
      // 200 000 octets from a server that respects the client's 65 535-octet windows.
      long connectionWindow = 65_535;
      long streamWindow = 65_535;
      int left = 200_000;
      while (left > 0) {
        int length = (int) Math.min(Math.min(16_384, left), Math.min(connectionWindow, streamWindow));
        if (length == 0) {
          Frame update = peer.readFrame();
          if (update.type == Http2Frame.WINDOW_UPDATE) {
            if (update.streamId == 0) {
              connectionWindow += update.int32(0);
            } else {
              streamWindow += update.int32(0);
            }
          }
          continue;
        }
        peer.write(Http2Frame.DATA, 0, request.streamId, new byte[length]);
        connectionWindow -= length;
        streamWindow -= length;
        left -= length;
      }
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, request.streamId,
          block(literal("grpc-status", "0")));
      peer.awaitClose();
    }), 10_000).send(new byte[] {1});
    transport.shutdown();
    server.finish();
  }

  @Test
  void goAwayForAnUnprocessedStreamIsRetriedOnANewConnection() throws Throwable {
    connect(new ScriptedHttp2Server(
        peer -> {
          peer.handshake();
          Request first = peer.readRequest();
          peer.respondOk(first.streamId);
          Request second = peer.readRequest();
          assertEquals(3, second.streamId);
          peer.goAway(first.streamId, Http2Exception.NO_ERROR);
          peer.awaitClose();
        },
        peer -> {
          peer.handshake();
          Request retried = peer.readRequest();
          assertArrayEquals(framed(new byte[] {2}), retried.body.toByteArray());
          peer.respondOk(retried.streamId);
          peer.awaitClose();
        }), 5000);
    transport.send(new byte[] {1});
    transport.send(new byte[] {2});
    assertEquals(2, server.connections.get());
    transport.shutdown();
    server.finish();
  }

  @Test
  void goAwayAfterAnAnswerMakesTheNextCallReconnect() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request request = peer.readRequest();
      peer.respondOk(request.streamId);
      peer.goAway(request.streamId, Http2Exception.NO_ERROR);
      peer.awaitClose();
    }), 5000);
    transport.send(new byte[] {1});
    transport.send(new byte[] {2});
    transport.send(new byte[] {3});
    assertEquals(3, server.connections.get());
    transport.shutdown();
    server.finish();
  }

  @Test
  void refusedStreamIsRetryable() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      peer.rstStream(peer.readRequest().streamId, Http2Exception.REFUSED_STREAM);
      peer.awaitClose();
    }), 5000);
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().endsWith("refused the call (stream refused or connection going away)"), e.getMessage());
  }

  @Test
  void resetWithInternalErrorIsNotRetryable() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      peer.rstStream(peer.readRequest().streamId, Http2Exception.INTERNAL_ERROR);
      Request next = peer.readRequest();
      peer.respondOk(next.streamId);
      peer.awaitClose();
    }), 5000);
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().endsWith("reset the call with HTTP/2 error INTERNAL_ERROR"), e.getMessage());
    // A reset stream leaves the connection usable.
    transport.send(new byte[] {2});
    assertEquals(1, server.connections.get());
    transport.shutdown();
    server.finish();
  }

  @Test
  void earlyAnswerStopsTheUploadWithRstStream() throws Throwable {
    byte[] message = randomBytes(1_000_000);
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Frame headers = peer.readFrame();
      while (headers.type != Http2Frame.HEADERS) {
        headers = peer.readFrame();
      }
      // Answer at once, without refilling windows: the client must stop at 65 535 octets.
      peer.respondStatus(headers.streamId, 8, "too big");
      Frame frame;
      do {
        frame = peer.readFrame();
        assertTrue(frame.type != Http2Frame.DATA || !frame.has(Http2Frame.FLAG_END_STREAM));
      } while (frame.type != Http2Frame.RST_STREAM);
      assertEquals(Http2Exception.CANCEL, frame.int32(0));
      peer.awaitClose();
    }), 5000);
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(message));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().endsWith("answered RESOURCE_EXHAUSTED (8): too big"), e.getMessage());
    transport.shutdown();
    server.finish();
  }

  @Test
  void interimResponseThenTrailersOnly() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request request = peer.readRequest();
      // :status 100 with the static name :status (index 8), then a trailers-only answer.
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, request.streamId, block("0803313030"));
      peer.respondStatus(request.streamId, 0, "");
      peer.awaitClose();
    }), 5000).send(new byte[] {1});
    transport.shutdown();
    server.finish();
  }

  @Test
  void headerBlocksSplitPaddedAndUsingTheDynamicTable() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request first = peer.readRequest();
      byte[] headers = block("88", indexedLiteral("content-type", "application/grpc"));
      // HEADERS padded with 4 octets, cut after 3 octets of the block; the rest in a CONTINUATION.
      byte[] head = new byte[1 + 3 + 4];
      head[0] = 4;
      System.arraycopy(headers, 0, head, 1, 3);
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_PADDED, first.streamId, head);
      peer.write(Http2Frame.CONTINUATION, Http2Frame.FLAG_END_HEADERS, first.streamId,
          java.util.Arrays.copyOfRange(headers, 3, headers.length));
      peer.write(Http2Frame.DATA, Http2Frame.FLAG_PADDED, first.streamId, Hex.decode("02" + "0000000000" + "0000"));
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, first.streamId,
          block(indexedLiteral("grpc-status", "0")));
      // Second answer by index only: 62 is grpc-status: 0, 63 content-type: application/grpc.
      Request second = peer.readRequest();
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, second.streamId,
          block("88", "bf", "be"));
      // Third: a status of 14 that replaces nothing; then index 62 is grpc-status: 14.
      Request third = peer.readRequest();
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, third.streamId,
          block("88", "bf", indexedLiteral("grpc-status", "14")));
      Request fourth = peer.readRequest();
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, fourth.streamId,
          block("88", "be"));
      peer.awaitClose();
    }), 5000);
    transport.send(new byte[] {1});
    transport.send(new byte[] {2});
    assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {3}));
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {4}));
    assertTrue(e.getMessage().endsWith("answered UNAVAILABLE (14)"), e.getMessage());
    assertEquals(1, server.connections.get());
    transport.shutdown();
    server.finish();
  }

  @Test
  void headerTableSizeSettingIsAnsweredWithASizeUpdate() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request first = peer.readRequest();
      assertEquals(0x20, first.headerBlock.toByteArray()[0] & 0xff);
      peer.respondOk(first.streamId);
      Request second = peer.readRequest();
      assertEquals(0x83, second.headerBlock.toByteArray()[0] & 0xff);
      peer.settings(Http2Frame.SETTINGS_HEADER_TABLE_SIZE, 1024);
      peer.respondOk(second.streamId);
      Request third = peer.readRequest();
      assertEquals(0x20, third.headerBlock.toByteArray()[0] & 0xff);
      peer.respondOk(third.streamId);
      peer.awaitClose();
    }), 5000);
    for (int i = 0; i < 3; i++) {
      transport.send(new byte[] {1});
    }
    transport.shutdown();
    server.finish();
  }

  @Test
  void httpStatusWithoutGrpcStatus() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      Request request = peer.readRequest();
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, request.streamId,
          block("0803353033"));
      request = peer.readRequest();
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, request.streamId,
          block("0803343034"));
      request = peer.readRequest();
      peer.write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, request.streamId, block("88"));
      peer.write(Http2Frame.DATA, Http2Frame.FLAG_END_STREAM, request.streamId, new byte[5]);
      peer.awaitClose();
    }), 5000);
    OtlpExportException unavailable = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertTrue(unavailable.retryable());
    assertTrue(unavailable.getMessage().endsWith("answered HTTP 503 without grpc-status, taken as UNAVAILABLE"));
    OtlpExportException notFound = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertFalse(notFound.retryable());
    assertTrue(notFound.getMessage().endsWith("answered HTTP 404 without grpc-status, taken as UNIMPLEMENTED"));
    OtlpExportException noStatus = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertFalse(noStatus.retryable());
    assertTrue(noStatus.getMessage().endsWith("answered HTTP 200 without grpc-status"));
    transport.shutdown();
    server.finish();
  }

  @Test
  void connectionClosedBeforeTheAnswerIsRetryable() throws Throwable {
    connect(new ScriptedHttp2Server(
        peer -> {
          peer.handshake();
          peer.readRequest();
          peer.socket.close();
        },
        peer -> {
          peer.handshake();
          peer.respondOk(peer.readRequest().streamId);
          peer.awaitClose();
        }), 5000);
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("connection closed by the peer"), e.getMessage());
    transport.send(new byte[] {2});
    assertEquals(2, server.connections.get());
    transport.shutdown();
    server.finish();
  }

  @Test
  void protocolErrorOfTheServerIsAnsweredWithGoAway() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      peer.readRequest();
      peer.windowUpdate(0, 0); // an increment of 0 is a PROTOCOL_ERROR
      Frame frame;
      do {
        frame = peer.readFrame();
      } while (frame.type != Http2Frame.GOAWAY);
      assertEquals(Http2Exception.PROTOCOL_ERROR, frame.int32(4));
      peer.awaitClose();
    }), 5000);
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("WINDOW_UPDATE of 0"), e.getMessage());
    server.finish();
  }

  @Test
  void shutdownSendsGoAway() throws Throwable {
    connect(new ScriptedHttp2Server(peer -> {
      peer.handshake();
      peer.respondOk(peer.readRequest().streamId);
      Frame frame;
      do {
        frame = peer.readFrame();
      } while (frame.type != Http2Frame.GOAWAY);
      assertEquals(Http2Exception.NO_ERROR, frame.int32(4));
      peer.awaitClose();
    }), 5000);
    transport.send(new byte[] {1});
    transport.shutdown();
    server.finish();
  }

  @Test
  void peerThatStopsReadingCannotBlockAWritePastTheDeadline() throws Exception {
    // The server grants the largest windows, then reads nothing: only the deadline ends the write.
    connect(new ScriptedHttp2Server(4096, peer -> {
      peer.settings(Http2Frame.SETTINGS_INITIAL_WINDOW_SIZE, MAX_WINDOW);
      peer.windowUpdate(0, MAX_WINDOW - 65_535);
      Thread.sleep(30_000);
    }), 1000);
    long start = System.nanoTime();
    OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[32 << 20]));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("did not answer within 1000 ms (deadline passed while sending the request)"),
        e.getMessage());
    assertTrue(millis >= 900 && millis < 1000 + 1000, "took " + millis + " ms");
  }
}
