package io.vigil.benchmarks.export;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The cheapest OTLP/HTTP receiver that still speaks HTTP/1.1 with keep-alive: reads each request's
 * head into one reused buffer, skips {@code Content-Length} bytes of body and answers 200 with an
 * empty body. It allocates next to nothing per request, so the JMH GC profiler's bytes per
 * operation are the exporter's, not the receiver's.
 */
final class DiscardingOtlpReceiver implements AutoCloseable {

  private static final byte[] OK =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final Thread acceptor;

  DiscardingOtlpReceiver() throws IOException {
    this(0);
  }

  DiscardingOtlpReceiver(int port) throws IOException {
    server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "discarding-otlp-receiver");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Runs until killed, on the port given; for {@code benchmarks/overhead/threads.sh}. */
  public static void main(String[] args) throws Exception {
    try (DiscardingOtlpReceiver receiver = new DiscardingOtlpReceiver(Integer.parseInt(args[0]))) {
      System.out.println("discarding OTLP receiver on " + receiver.endpoint());
      receiver.acceptor.join();
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread connection = new Thread(() -> serve(socket), "discarding-otlp-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void serve(Socket socket) {
    byte[] head = new byte[8192];
    byte[] body = new byte[64 * 1024];
    try (Socket s = socket;
        InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        OutputStream out = s.getOutputStream()) {
      while (true) {
        int length = readHead(in, head);
        if (length < 0) {
          return;
        }
        long remaining = contentLength(head, length);
        while (remaining > 0) {
          int read = in.read(body, 0, (int) Math.min(body.length, remaining));
          if (read < 0) {
            return;
          }
          remaining -= read;
        }
        out.write(OK);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away: nothing to clean up beyond the socket
    }
  }

  /** Reads up to and including the blank line; returns the head's length, or -1 at end of stream. */
  private static int readHead(InputStream in, byte[] head) throws IOException {
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      if (length == head.length) {
        throw new IOException("request head larger than " + head.length + " bytes");
      }
      head[length++] = (byte) b;
      if (length >= 4 && head[length - 1] == '\n' && head[length - 2] == '\r' && head[length - 3] == '\n'
          && head[length - 4] == '\r') {
        return length;
      }
    }
  }

  private static long contentLength(byte[] head, int length) {
    for (int i = 0; i + CONTENT_LENGTH.length < length; i++) {
      if ((i == 0 || head[i - 1] == '\n') && startsWithIgnoringCase(head, i)) {
        long value = 0;
        for (int j = i + CONTENT_LENGTH.length; j < length && head[j] != '\r'; j++) {
          if (head[j] >= '0' && head[j] <= '9') {
            value = value * 10 + (head[j] - '0');
          }
        }
        return value;
      }
    }
    return 0;
  }

  private static boolean startsWithIgnoringCase(byte[] head, int offset) {
    for (int k = 0; k < CONTENT_LENGTH.length; k++) {
      if (Character.toLowerCase((char) head[offset + k]) != CONTENT_LENGTH[k]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
