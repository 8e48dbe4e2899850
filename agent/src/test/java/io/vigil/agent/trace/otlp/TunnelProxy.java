package io.vigil.agent.trace.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy that only tunnels ({@code CONNECT}), as HTTPS through a proxy goes: it records the
 * authority each tunnel asked for and connects every tunnel to one fixed address, the test's
 * receiver, so the test needs no name resolution for the collector's host.
 */
final class TunnelProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<String> tunnels = new CopyOnWriteArrayList<>();

  TunnelProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    daemon(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The {@code host:port} of every CONNECT so far. */
  List<String> tunnels() {
    return tunnels;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        daemon(() -> tunnel(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void tunnel(Socket client) {
    try (Socket c = client; Socket upstream = new Socket()) {
      String head = readHead(c.getInputStream());
      String[] requestLine = head.split("\r\n", 2)[0].split(" ");
      OutputStream toClient = c.getOutputStream();
      if (requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
        toClient.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      tunnels.add(requestLine[1]);
      upstream.connect(target, 5000);
      toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      toClient.flush();
      Thread back = daemon(() -> pump(upstream, c));
      pump(c, upstream);
      back.join(5000);
    } catch (IOException | InterruptedException e) {
      // one side went away: the tunnel ends with it
    }
  }

  /** The request head, byte by byte, so nothing after it is consumed. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    for (int b; matched < 4 && (b = in.read()) >= 0; ) {
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString("US-ASCII");
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // the other direction or the close in tunnel() ends the exchange
    }
  }

  private static Thread daemon(Runnable work) {
    Thread thread = new Thread(work, "test-tunnel-proxy");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
