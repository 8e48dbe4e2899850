package io.vigil.agent.trace.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The OTLP exporter's HTTP sender on {@link HttpURLConnection}: present on every Java the agent
 * attaches to (the SDK's JDK sender needs Java 11, its OkHttp one brings megabytes), keeps
 * connections alive by itself, and takes the JVM's standard proxy properties through the default
 * {@link java.net.ProxySelector} unless the exporter was given its own.
 *
 * <p>Synchronous: {@link #send} does the whole exchange, retries included, on the calling thread
 * and answers before it returns. The caller is the agent's one export thread, which exists to
 * wait on the collector; a pool here would only add threads and let exports pile up. Retries
 * follow the SDK's JDK sender: 429, 502, 503, 504 and every I/O error but a TLS one, jittered
 * exponential back-off from the {@link RetryPolicy}, all within the one export timeout.
 */
final class UrlConnectionHttpSender implements HttpSender {

  private final URL url;
  private final String contentType;
  private final Compressor compressor;
  private final long timeoutNanos;
  private final HttpSenderConfig config;
  private final RetryPolicy retryPolicy;
  private final Predicate<IOException> retryableError;
  private final SSLSocketFactory sslSocketFactory;
  private final long maxResponseBytes;
  /** The serialized (and maybe compressed) request, reused from export to export. */
  private final Body body = new Body();
  private volatile String lastFailure = "no error status yet";

  UrlConnectionHttpSender(HttpSenderConfig config) throws IOException {
    this.url = config.getEndpoint().toURL();
    this.contentType = config.getContentType();
    this.compressor = config.getCompressor();
    this.timeoutNanos = config.getTimeout().toNanos();
    this.config = config;
    this.retryPolicy = config.getRetryPolicy();
    Predicate<IOException> predicate = retryPolicy == null ? null : retryPolicy.getRetryExceptionPredicate();
    this.retryableError = predicate != null ? predicate : e -> !(e instanceof SSLException);
    this.sslSocketFactory = config.getSslContext() == null ? null : config.getSslContext().getSocketFactory();
    this.maxResponseBytes = config.getMaxResponseBodySize();
  }

  @Override
  public synchronized void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    Response response;
    try {
      response = exchange(writer);
    } catch (IOException | RuntimeException e) {
      onError.accept(e); // the exporter's failure wraps it, so the agent names it from there
      return;
    }
    if (response.status < 200 || response.status >= 300) {
      lastFailure = "HTTP " + response.status + " " + response.message + " from " + url;
    }
    onResponse.accept(response);
  }

  /**
   * The last error status, for the agent's one-line message: the exporter reports it in an
   * SDK-internal type. Never contains headers.
   */
  String lastFailure() {
    return lastFailure;
  }

  private Response exchange(MessageWriter writer) throws IOException {
    long start = System.nanoTime();
    body.reset();
    if (compressor == null) {
      writer.writeMessage(body);
    } else {
      try (OutputStream compressed = compressor.compress(body)) {
        writer.writeMessage(compressed);
      }
    }
    int maxAttempts = retryPolicy == null ? 1 : retryPolicy.getMaxAttempts();
    long backoffNanos = retryPolicy == null ? 0 : retryPolicy.getInitialBackoff().toNanos();
    Response response = null;
    IOException error = null;
    for (int attempt = 1; ; attempt++) {
      try {
        response = post(timeoutNanos - (System.nanoTime() - start));
        error = null;
        if (!retryable(response.status)) {
          return response;
        }
      } catch (IOException e) {
        response = null;
        error = e;
        if (!retryableError.test(e)) {
          throw e;
        }
      }
      if (attempt >= maxAttempts || !backOff(backoffNanos) || System.nanoTime() - start >= timeoutNanos) {
        break;
      }
      backoffNanos = (long) (Math.min(backoffNanos, retryPolicy.getMaxBackoff().toNanos())
          * retryPolicy.getBackoffMultiplier());
    }
    if (response != null) {
      return response;
    }
    throw error;
  }

  private boolean backOff(long nextBackoffNanos) {
    long capped = Math.min(nextBackoffNanos, retryPolicy.getMaxBackoff().toNanos());
    try {
      TimeUnit.NANOSECONDS.sleep((long) (ThreadLocalRandom.current().nextDouble(0.8, 1.2) * capped));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean retryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  private Response post(long remainingNanos) throws IOException {
    int timeoutMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos));
    Proxy proxy = config.getProxyOptions() == null ? null : firstProxy();
    HttpURLConnection connection =
        (HttpURLConnection) (proxy == null ? url.openConnection() : url.openConnection(proxy));
    if (sslSocketFactory != null && connection instanceof HttpsURLConnection) {
      ((HttpsURLConnection) connection).setSSLSocketFactory(sslSocketFactory);
    }
    connection.setConnectTimeout((int) Math.min(timeoutMillis, config.getConnectTimeout().toMillis()));
    connection.setReadTimeout(timeoutMillis);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setUseCaches(false);
    connection.setInstanceFollowRedirects(false);
    connection.setFixedLengthStreamingMode(body.size());
    Map<String, List<String>> headers = config.getHeadersSupplier().get();
    if (headers != null) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        for (String value : header.getValue()) {
          connection.addRequestProperty(header.getKey(), value);
        }
      }
    }
    connection.setRequestProperty("Content-Type", contentType);
    if (compressor != null) {
      connection.setRequestProperty("Content-Encoding", compressor.getEncoding());
    }
    try (OutputStream out = connection.getOutputStream()) {
      body.writeTo(out);
    }
    int status = connection.getResponseCode();
    String message = connection.getResponseMessage();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    return new Response(status, message == null ? "(no reason phrase)" : message, read(in, connection));
  }

  private Proxy firstProxy() {
    List<Proxy> proxies = config.getProxyOptions().getProxySelector().select(config.getEndpoint());
    return proxies == null || proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
  }

  /**
   * Reads the answer to its end, which lets {@link HttpURLConnection} reuse the connection; an
   * answer larger than the exporter allows is cut and its connection closed instead.
   */
  private byte[] read(InputStream in, HttpURLConnection connection) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] chunk = new byte[1024];
    try (InputStream stream = in) {
      for (int n; (n = stream.read(chunk)) >= 0; ) {
        if (answer.size() + (long) n > maxResponseBytes) {
          connection.disconnect();
          break;
        }
        answer.write(chunk, 0, n);
      }
    }
    return answer.toByteArray();
  }

  @Override
  public CompletableResultCode shutdown() {
    // Kept-alive connections belong to the JDK's cache, which closes idle ones by itself.
    return CompletableResultCode.ofSuccess();
  }

  /** A byte array output stream whose array is written out directly instead of copied. */
  private static final class Body extends ByteArrayOutputStream {
    Body() {
      super(64 * 1024);
    }

    @Override
    public synchronized void writeTo(OutputStream out) throws IOException {
      out.write(buf, 0, count);
    }
  }

  private static final class Response implements HttpResponse {
    final int status;
    final String message;
    final byte[] responseBody;

    Response(int status, String message, byte[] responseBody) {
      this.status = status;
      this.message = message;
      this.responseBody = responseBody;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return message;
    }

    @Override
    public byte[] getResponseBody() {
      return responseBody;
    }
  }
}
