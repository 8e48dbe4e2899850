package io.vigil.benchmarks.overhead;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for a collector's OTLP/HTTP trace receiver on 127.0.0.1: answers 200 (an empty
 * {@code ExportTraceServiceResponse}) to every {@code POST /v1/traces} and counts requests, bytes
 * on the wire and the spans in them. Both agents export to it, so its counts show that each
 * really exported.
 */
final class OtlpSink implements AutoCloseable {

  record Counts(long requests, long bytes, long spans, long undecodable) {
    Counts minus(Counts earlier) {
      return new Counts(requests - earlier.requests, bytes - earlier.bytes, spans - earlier.spans,
          undecodable - earlier.undecodable);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();

  OtlpSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "otlp-sink");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Counts counts() {
    return new Counts(requests.get(), bytes.get(), spans.get(), undecodable.get());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/v1/traces")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      requests.incrementAndGet();
      bytes.addAndGet(body.length);
      try {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        byte[] plain = "gzip".equalsIgnoreCase(encoding) ? gunzip(body) : body;
        spans.addAndGet(countSpans(plain));
      } catch (IOException | RuntimeException e) {
        undecodable.incrementAndGet();
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  /**
   * Spans in an {@code ExportTraceServiceRequest}: resource_spans (field 1) → scope_spans
   * (field 2) → spans (field 2), walked on the wire format without generated classes.
   */
  static long countSpans(byte[] request) {
    long count = 0;
    for (Field resourceSpans : new Fields(request, 0, request.length)) {
      if (resourceSpans.number == 1) {
        for (Field scopeSpans : new Fields(request, resourceSpans.offset, resourceSpans.end)) {
          if (scopeSpans.number == 2) {
            for (Field span : new Fields(request, scopeSpans.offset, scopeSpans.end)) {
              if (span.number == 2) {
                count++;
              }
            }
          }
        }
      }
    }
    return count;
  }

  /** A length-delimited field's number and where its bytes are; other wire types are skipped. */
  private record Field(int number, int offset, int end) {}

  private static final class Fields implements Iterable<Field> {
    private final byte[] buf;
    private final int from;
    private final int to;

    Fields(byte[] buf, int from, int to) {
      this.buf = buf;
      this.from = from;
      this.to = to;
    }

    @Override
    public java.util.Iterator<Field> iterator() {
      java.util.List<Field> fields = new java.util.ArrayList<>();
      int[] pos = {from};
      while (pos[0] < to) {
        long key = varint(buf, pos);
        int number = (int) (key >>> 3);
        switch ((int) (key & 7)) {
          case 0 -> varint(buf, pos);
          case 1 -> pos[0] += 8;
          case 2 -> {
            int length = (int) varint(buf, pos);
            fields.add(new Field(number, pos[0], pos[0] + length));
            pos[0] += length;
          }
          case 5 -> pos[0] += 4;
          default -> throw new IllegalArgumentException("wire type " + (key & 7));
        }
        if (pos[0] > to) {
          throw new IllegalArgumentException("field overruns its message");
        }
      }
      return fields.iterator();
    }

    private static long varint(byte[] buf, int[] pos) {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buf[pos[0]++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
