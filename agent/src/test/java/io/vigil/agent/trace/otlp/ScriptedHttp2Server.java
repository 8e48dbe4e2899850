package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/2 server on 127.0.0.1 that plays one script per connection, written frame by frame
 * with its own minimal encoding, for the behaviours a real gRPC server shows only now and then:
 * PING, GOAWAY, RST_STREAM, odd windows and frame sizes, interim responses, header blocks split
 * into CONTINUATIONs, protocol errors, a peer that stops reading.
 */
final class ScriptedHttp2Server implements AutoCloseable {

  interface Script {
    void run(Peer peer) throws Exception;
  }

  final AtomicInteger connections = new AtomicInteger();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final ServerSocket serverSocket;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** Runs {@code scripts[i]} on the i-th connection, the last one on any later connection. */
  ScriptedHttp2Server(int receiveBufferSize, Script... scripts) throws IOException {
    serverSocket = new ServerSocket();
    if (receiveBufferSize > 0) {
      serverSocket.setReceiveBufferSize(receiveBufferSize);
    }
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          Socket socket = serverSocket.accept();
          sockets.add(socket);
          Script script = scripts[Math.min(connections.getAndIncrement(), scripts.length - 1)];
          Thread connection = new Thread(() -> {
            try (Socket s = socket) {
              s.setSoTimeout(20_000);
              script.run(new Peer(s));
            } catch (Throwable e) {
              failures.add(e);
            }
          }, "scripted-http2-connection");
          connection.setDaemon(true);
          threads.add(connection);
          connection.start();
        }
      } catch (IOException closed) {
        // The test is over.
      }
    }, "scripted-http2-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  ScriptedHttp2Server(Script... scripts) throws IOException {
    this(0, scripts);
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** Waits for every script to end and rethrows the first failure of one. */
  void finish() throws Throwable {
    for (Thread thread : threads) {
      thread.join(10_000);
      if (thread.isAlive()) {
        throw new AssertionError("script still running");
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  static final class Frame {
    final int type;
    final int flags;
    final int streamId;
    final byte[] payload;

    Frame(int type, int flags, int streamId, byte[] payload) {
      this.type = type;
      this.flags = flags;
      this.streamId = streamId;
      this.payload = payload;
    }

    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    int int32(int offset) {
      return ByteBuffer.wrap(payload, offset, 4).getInt();
    }
  }

  static final class Request {
    final int streamId;
    final List<Frame> frames = new ArrayList<>();
    final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Request(int streamId) {
      this.streamId = streamId;
    }
  }

  static final class Peer {
    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** Give back every DATA octet at once, as a server with ample buffers does. */
    boolean refillWindows = true;
    final List<Frame> received = new ArrayList<>();

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    void readPreface() throws IOException {
      byte[] preface = new byte[24];
      in.readFully(preface);
      assertArrayEquals("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII), preface);
    }

    /** Preface, then this side's SETTINGS. */
    void handshake(int... settings) throws IOException {
      readPreface();
      settings(settings);
    }

    Frame readFrame() throws IOException {
      int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int streamId = in.readInt() & Integer.MAX_VALUE;
      byte[] payload = new byte[length];
      in.readFully(payload);
      Frame frame = new Frame(type, flags, streamId, payload);
      received.add(frame);
      return frame;
    }

    /**
     * Reads until a request stream ends, acknowledging SETTINGS and refilling windows as it goes.
     */
    Request readRequest() throws IOException {
      Request request = null;
      while (true) {
        Frame frame = readFrame();
        if (frame.type == Http2Frame.SETTINGS && !frame.has(Http2Frame.FLAG_ACK)) {
          write(Http2Frame.SETTINGS, Http2Frame.FLAG_ACK, 0, new byte[0]);
          continue;
        }
        if (frame.streamId == 0 || (frame.type != Http2Frame.HEADERS && frame.type != Http2Frame.CONTINUATION
            && frame.type != Http2Frame.DATA)) {
          continue;
        }
        if (request == null) {
          request = new Request(frame.streamId);
        }
        request.frames.add(frame);
        if (frame.type == Http2Frame.DATA) {
          request.body.write(frame.payload);
          if (refillWindows && frame.payload.length > 0) {
            windowUpdate(0, frame.payload.length);
            if (!frame.has(Http2Frame.FLAG_END_STREAM)) {
              windowUpdate(frame.streamId, frame.payload.length);
            }
          }
        } else {
          request.headerBlock.write(frame.payload);
        }
        if (frame.has(Http2Frame.FLAG_END_STREAM) && frame.type == Http2Frame.DATA) {
          return request;
        }
        if (frame.type == Http2Frame.HEADERS && frame.has(Http2Frame.FLAG_END_STREAM)) {
          return request;
        }
      }
    }

    void write(int type, int flags, int streamId, byte[] payload) throws IOException {
      ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
      frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
      frame.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
      out.write(frame.array());
      out.flush();
    }

    void settings(int... identifiersAndValues) throws IOException {
      ByteBuffer payload = ByteBuffer.allocate(identifiersAndValues.length / 2 * 6);
      for (int i = 0; i < identifiersAndValues.length; i += 2) {
        payload.putShort((short) identifiersAndValues[i]).putInt(identifiersAndValues[i + 1]);
      }
      write(Http2Frame.SETTINGS, 0, 0, payload.array());
    }

    void windowUpdate(int streamId, int increment) throws IOException {
      write(Http2Frame.WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
    }

    void goAway(int lastStreamId, int errorCode) throws IOException {
      write(Http2Frame.GOAWAY, 0, 0, ByteBuffer.allocate(8).putInt(lastStreamId).putInt(errorCode).array());
    }

    void rstStream(int streamId, int errorCode) throws IOException {
      write(Http2Frame.RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    /** Headers, an empty gRPC message, trailers with grpc-status 0. */
    void respondOk(int streamId) throws IOException {
      write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, streamId,
          block("88", literal("content-type", "application/grpc")));
      write(Http2Frame.DATA, 0, streamId, new byte[5]);
      write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, streamId,
          block(literal("grpc-status", "0")));
    }

    /** A trailers-only response: one HEADERS frame that ends the stream. */
    void respondStatus(int streamId, int grpcStatus, String message) throws IOException {
      write(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, streamId,
          block("88", literal("content-type", "application/grpc"), literal("grpc-status", "" + grpcStatus),
              literal("grpc-message", message)));
    }

    /** Waits for the client to close or reset the connection; fails on a 20 s socket timeout. */
    void awaitClose() throws IOException {
      try {
        while (true) {
          readFrame();
        }
      } catch (java.io.EOFException | java.net.SocketException closed) {
        // Done.
      }
    }
  }

  /** HPACK literal without indexing, new name, raw strings shorter than 127 octets: as hex. */
  static String literal(String name, String value) {
    return "00" + string(name) + string(value);
  }

  /** HPACK literal with incremental indexing, new name. */
  static String indexedLiteral(String name, String value) {
    return "40" + string(name) + string(value);
  }

  private static String string(String value) {
    byte[] octets = value.getBytes(StandardCharsets.ISO_8859_1);
    if (octets.length >= 127) {
      throw new IllegalArgumentException("test helper writes short strings only");
    }
    return String.format("%02x", octets.length) + Hex.encode(octets);
  }

  static byte[] block(String... hexParts) {
    return Hex.decode(String.join("", hexParts));
  }
}
