package io.vigil.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.vigil.agent.http.security.PortSecurity;
import io.vigil.api.config.HealthDetails;
import io.vigil.api.config.PortSecurityConfig;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.health.HealthRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent port under abuse, over real sockets on 127.0.0.1: stalled half requests, a flood of
 * scrapes and oversized requests must neither stop {@code /health/live} answering within a second
 * nor take more than the server's few threads; unknown paths get a small 404.
 */
class ExporterServerAbuseTest {

  private static final long LIVE_WITHIN_MILLIS = 1000;

  private ExporterServer server;

  @BeforeEach
  void start() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    Counter.build("abuse_test_total", "A series, so that /metrics has a body.").register(registry).inc();
    HealthHandler health = new HealthHandler(new HealthRegistry(), "1.0", "svc", System.nanoTime(), HealthDetails.ALWAYS);
    ErrorGroups groups = new ErrorGroups(10, ErrorGroups.Listener.NONE);
    server = ExporterServer.start("127.0.0.1", 0, PortSecurity.open(PortSecurityConfig.NONE, () -> {}),
        new MetricsHandler(registry), health, new ErrorsHandler(groups), SummaryHandlers.of(registry, health, groups));
    assertNotNull(server);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void stalledHalfRequestsDoNotStopLiveness() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        Socket socket = connect();
        socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Stall-" + i + ": ").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        stalled.add(socket);
      }
      Thread.sleep(100); // every stalled request has reached the server
      for (int i = 0; i < 5; i++) {
        assertLiveWithinASecond();
      }
      assertTrue(exporterThreads() <= BoundedExchangeExecutor.THREADS, exporterThreads() + " threads");
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  @Test
  void aFloodOfScrapesDoesNotStopLiveness() throws Exception {
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger scrapes = new AtomicInteger();
    ExecutorService flood = Executors.newFixedThreadPool(32);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        done.add(flood.submit(() -> {
          while (flooding.get()) {
            try {
              request("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
              scrapes.incrementAndGet();
            } catch (IOException refusedWhileFull) {
              // A full queue closes the connection: that is the bound working.
            }
          }
          return null;
        }));
      }
      Thread.sleep(300);
      for (int i = 0; i < 5; i++) {
        assertLiveWithinASecond();
        assertTrue(exporterThreads() <= BoundedExchangeExecutor.THREADS, exporterThreads() + " threads");
      }
      flooding.set(false);
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertTrue(scrapes.get() > 0);
    } finally {
      flooding.set(false);
      flood.shutdownNow();
    }
  }

  @Test
  void oversizedRequestsDoNotStopLiveness() throws Exception {
    String hugeLine = "GET /health/live?" + "a".repeat(1 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    StringBuilder manyHeaders = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 5000; i++) {
      manyHeaders.append("X-Header-").append(i).append(": ").append("v".repeat(200)).append("\r\n");
    }
    manyHeaders.append("\r\n");
    for (String oversized : List.of(hugeLine, manyHeaders.toString())) {
      try {
        request(oversized, 5000);
      } catch (IOException closed) {
        // Refusing it by closing the connection is fine too.
      }
      assertLiveWithinASecond();
    }
  }

  @Test
  void unknownPathsGetASmall404() throws Exception {
    for (String path : List.of("/admin", "/../../etc/passwd", "/%00%ff", "/" + "x".repeat(4000))) {
      String response = request("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
      assertTrue(response.startsWith("HTTP/1.1 404"), response);
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertTrue(body.length() < 100, body.length() + " bytes: " + body);
    }
  }

  private void assertLiveWithinASecond() throws IOException {
    long start = System.nanoTime();
    String response = request("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("HTTP/1.1 200", response.substring(0, 12), response);
    assertTrue(millis < LIVE_WITHIN_MILLIS, "/health/live took " + millis + " ms");
  }

  private String request(String text, int timeoutMillis) throws IOException {
    try (Socket socket = connect()) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      try {
        while ((n = in.read(buffer)) > 0) {
          response.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new IOException("no complete answer within " + timeoutMillis + " ms: " + response, e);
      }
      return response.toString(StandardCharsets.US_ASCII.name());
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
    return socket;
  }

  private static long exporterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("vigil-exporter-http-"))
        .count();
  }
}
