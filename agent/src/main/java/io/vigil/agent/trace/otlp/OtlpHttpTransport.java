package io.vigil.agent.trace.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.Map;

/**
 * OTLP/HTTP with protobuf bodies over {@link HttpURLConnection}: present on every Java the agent
 * attaches to, keeps connections alive by itself, and costs the jar nothing.
 */
public final class OtlpHttpTransport implements OtlpTransport {

  private final URL url;
  private final Map<String, String> headers;
  private final int timeoutMillis;

  /**
   * @param endpoint the base endpoint ({@code http://jaeger:4318}); {@code /v1/traces} is appended
   *     unless the endpoint already names it, as the OTel specification says for the base variable
   */
  public OtlpHttpTransport(String endpoint, Map<String, String> headers, int timeoutMillis) throws IOException {
    this.url = new URL(tracesUrl(endpoint));
    this.headers = headers;
    this.timeoutMillis = timeoutMillis;
  }

  static String tracesUrl(String endpoint) {
    String base = endpoint.trim();
    if (base.endsWith("/v1/traces")) {
      return base;
    }
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
  }

  @Override
  public void send(byte[] request) throws OtlpExportException {
    HttpURLConnection connection;
    try {
      connection = (HttpURLConnection) url.openConnection(java.net.Proxy.NO_PROXY);
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setUseCaches(false);
      connection.setFixedLengthStreamingMode(request.length);
      connection.setRequestProperty("Content-Type", "application/x-protobuf");
      connection.setRequestProperty("User-Agent", "vigil-agent");
      for (Map.Entry<String, String> header : headers.entrySet()) {
        connection.setRequestProperty(header.getKey(), header.getValue());
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(request);
      }
      int status = connection.getResponseCode();
      drain(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
      if (status >= 200 && status < 300) {
        return;
      }
      // The OTLP spec names these as the retryable answers.
      boolean retryable = status == 429 || status == 502 || status == 503 || status == 504;
      throw new OtlpExportException("OTLP receiver " + url + " answered HTTP " + status, retryable);
    } catch (ConnectException e) {
      throw new OtlpExportException("OTLP receiver " + url + " refused the connection", true, e);
    } catch (SocketTimeoutException e) {
      throw new OtlpExportException("OTLP receiver " + url + " timed out after " + timeoutMillis + " ms", true, e);
    } catch (IOException e) {
      throw new OtlpExportException("OTLP export to " + url + " failed: " + e, true, e);
    }
  }

  /** Reading the body to its end lets HttpURLConnection reuse the connection. */
  private static void drain(InputStream in) throws IOException {
    if (in == null) {
      return;
    }
    try (InputStream body = in) {
      byte[] buffer = new byte[1024];
      int total = 0;
      int read;
      while ((read = body.read(buffer)) >= 0 && total < 1 << 20) {
        total += read;
      }
    }
  }

  @Override
  public String describe() {
    return url + " (http/protobuf)";
  }

  @Override
  public void shutdown() {}
}
