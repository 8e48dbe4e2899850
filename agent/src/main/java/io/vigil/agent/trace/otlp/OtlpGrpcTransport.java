package io.vigil.agent.trace.otlp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * OTLP/gRPC: a unary call of {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}
 * over the agent's own small HTTP/2 client, which needs nothing beyond Java 8 (no Netty, no
 * grpc-java, no OkHttp, no {@code java.net.http}).
 *
 * <p>{@code http://} endpoints get HTTP/2 over cleartext with prior knowledge (h2c), as an OTLP
 * receiver on port 4317 such as Jaeger's speaks. {@code https://} endpoints get TLS with host name
 * verification and ALPN {@code h2}; ALPN needs Java 9 or later, or Java 8u252 or later, and on an
 * older Java the constructor rejects https endpoints (use {@code otlp.protocol=http/protobuf}
 * there). A path in the endpoint is ignored: gRPC fixes the path.
 *
 * <p>One connection is kept and reused while it stays healthy; after an error, a timeout or a
 * GOAWAY the next call opens a new one. Each call, connecting included, ends within {@code
 * timeoutMillis}: every read, write and connect waits on a selector for at most the time left, on
 * the calling thread. Only resolving the host name is outside that bound (the JVM's resolver has
 * no timeout). Messages are sent uncompressed. Errors are reported by {@link
 * OtlpExportException}, never logged.
 *
 * <p>Calls are serialised: they are meant to come from the one export thread, and {@link
 * #shutdown()} waits for a call in flight (at most {@code timeoutMillis}).
 */
public final class OtlpGrpcTransport implements OtlpTransport {

  static final String PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  /** Headers a user may not set: HTTP/2 forbids them, or gRPC needs its own values. */
  private static final Set<String> RESERVED_HEADERS =
      new HashSet<>(Arrays.asList(
          "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
          "te", "content-type", "content-length", "grpc-timeout", "grpc-encoding"));

  private final String scheme;
  private final String host;
  private final int port;
  private final List<HeaderField> fixedHeaders;
  private final int timeoutMillis;
  private final SSLContext sslContext;

  private Http2Connection connection;
  private boolean shutdown;

  /**
   * @param endpoint {@code http://host:port} (h2c) or {@code https://host:port}; without a port,
   *     80 or 443
   * @param headers sent with every call (names are lower-cased), such as {@code authorization}
   * @param timeoutMillis the most one call may take, connecting included
   * @throws IllegalArgumentException for an endpoint that is not http(s) with a host, a header that
   *     is not valid or that the transport sets itself, a timeout below 1, or an https endpoint on a
   *     Java without ALPN
   */
  public OtlpGrpcTransport(URI endpoint, Map<String, String> headers, int timeoutMillis) {
    this(endpoint, headers, timeoutMillis, null);
  }

  /** As above, with the TLS context to use for https instead of the JVM's default. */
  OtlpGrpcTransport(URI endpoint, Map<String, String> headers, int timeoutMillis, SSLContext sslContext) {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "OTLP gRPC endpoint " + endpoint + " must start with http:// or https://");
    }
    String host = endpoint.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("OTLP gRPC endpoint " + endpoint + " has no host");
    }
    if (timeoutMillis < 1) {
      throw new IllegalArgumentException("OTLP gRPC timeout must be at least 1 ms, not " + timeoutMillis);
    }
    if (scheme.equals("https") && !TlsDeadlineChannel.alpnAvailable()) {
      throw new IllegalArgumentException(
          "OTLP gRPC endpoint " + endpoint + " needs TLS with ALPN, which Java "
              + System.getProperty("java.version")
              + " lacks (Java 8u252+ and 9+ have it); use otlp.protocol=http/protobuf for https"
              + " endpoints on this JVM");
    }
    this.scheme = scheme;
    // URI keeps the brackets of an IPv6 literal; the :authority header keeps them too.
    this.host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    this.port = endpoint.getPort() >= 0 ? endpoint.getPort() : scheme.equals("https") ? 443 : 80;
    this.timeoutMillis = timeoutMillis;
    this.sslContext = sslContext;
    this.fixedHeaders = fixedHeaders(scheme, host + ":" + port, headers);
  }

  private static List<HeaderField> fixedHeaders(
      String scheme, String authority, Map<String, String> headers) {
    List<HeaderField> fields = new ArrayList<>();
    fields.add(new HeaderField(":method", "POST"));
    fields.add(new HeaderField(":scheme", scheme));
    fields.add(new HeaderField(":path", PATH));
    fields.add(new HeaderField(":authority", authority));
    fields.add(new HeaderField("content-type", "application/grpc"));
    fields.add(new HeaderField("te", "trailers"));
    boolean userAgent = false;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey().trim().toLowerCase(Locale.ROOT);
      if (!isToken(name)) {
        throw new IllegalArgumentException(
            "OTLP header name '" + header.getKey() + "' is not a valid HTTP header name");
      }
      if (RESERVED_HEADERS.contains(name)) {
        throw new IllegalArgumentException("OTLP header '" + name + "' is set by the gRPC transport itself");
      }
      String value = header.getValue() == null ? "" : header.getValue().trim();
      if (!isVisibleAscii(value)) {
        // The value is not repeated here: it may be a credential.
        throw new IllegalArgumentException(
            "OTLP header '" + name + "' has a value with characters gRPC metadata cannot carry");
      }
      userAgent |= name.equals("user-agent");
      fields.add(new HeaderField(name, value));
    }
    if (!userAgent) {
      fields.add(new HeaderField("user-agent", "vigil-agent"));
    }
    return Collections.unmodifiableList(fields);
  }

  @Override
  public synchronized void send(byte[] exportTraceServiceRequest) throws OtlpExportException {
    if (shutdown) {
      throw new OtlpExportException("OTLP transport to " + describe() + " is shut down", false);
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    Http2Response response;
    try {
      response = exchange(grpcMessage(exportTraceServiceRequest), deadline);
    } catch (UnknownHostException e) {
      throw new OtlpExportException("OTLP receiver " + describe() + ": unknown host " + host, true, e);
    } catch (ConnectException e) {
      throw new OtlpExportException("OTLP receiver " + describe() + " refused the connection", true, e);
    } catch (SocketTimeoutException e) {
      throw new OtlpExportException(
          "OTLP receiver " + describe() + " did not answer within " + timeoutMillis + " ms ("
              + e.getMessage() + ")",
          true,
          e);
    } catch (SSLHandshakeException e) {
      // A certificate the JVM does not trust stays untrusted; a handshake cut short may not.
      throw new OtlpExportException(
          "OTLP receiver " + describe() + ": TLS handshake failed: " + e.getMessage(),
          !isCertificateProblem(e),
          e);
    } catch (IOException e) {
      throw new OtlpExportException("OTLP export to " + describe() + " failed: " + e, true, e);
    } catch (RuntimeException e) {
      discardConnection();
      throw new OtlpExportException("OTLP export to " + describe() + " failed unexpectedly: " + e, false, e);
    }
    checkStatus(response);
  }

  @Override
  public String describe() {
    return scheme + "://" + authority() + " (grpc)";
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    if (connection != null) {
      connection.close(System.nanoTime() + Math.min(timeoutMillis, 1000) * 1_000_000L);
      connection = null;
    }
  }

  /** The length-prefixed message of gRPC over HTTP/2: uncompressed flag, 4-octet length, octets. */
  static byte[] grpcMessage(byte[] message) {
    byte[] framed = new byte[5 + message.length];
    framed[1] = (byte) (message.length >>> 24);
    framed[2] = (byte) (message.length >>> 16);
    framed[3] = (byte) (message.length >>> 8);
    framed[4] = (byte) message.length;
    System.arraycopy(message, 0, framed, 5, message.length);
    return framed;
  }

  private Http2Response exchange(byte[] message, long deadline) throws IOException, OtlpExportException {
    boolean reused = connection != null && connection.isReusable(deadline);
    if (!reused) {
      discardConnection();
      connection = open(deadline);
    }
    Http2Response response = call(message, deadline);
    if (response.unprocessed() && reused && System.nanoTime() < deadline) {
      // The kept connection was going away and the server never saw this request: the one case
      // where sending again on a new connection cannot duplicate spans.
      discardConnection();
      connection = open(deadline);
      response = call(message, deadline);
    }
    if (response.unprocessed()) {
      discardConnection();
    }
    return response;
  }

  private Http2Response call(byte[] message, long deadline) throws IOException {
    try {
      return connection.exchange(requestHeaders(deadline), message, deadline);
    } catch (IOException e) {
      connection = null; // exchange closed it
      throw e;
    }
  }

  private Http2Connection open(long deadline) throws IOException, OtlpExportException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UnknownHostException(host);
    }
    DeadlineChannel channel = SocketDeadlineChannel.connect(address, deadline);
    if (scheme.equals("https")) {
      try {
        TlsDeadlineChannel tls = TlsDeadlineChannel.handshake(channel, sslContext(), host, port, deadline);
        if (!tls.applicationProtocol().equals("h2")) {
          tls.close();
          throw new OtlpExportException(
              "OTLP receiver " + describe() + " did not agree to HTTP/2 (ALPN h2) in the TLS handshake;"
                  + " it does not serve gRPC there",
              false);
        }
        channel = tls;
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }
    return Http2Connection.start(channel);
  }

  private SSLContext sslContext() throws SSLException {
    if (sslContext != null) {
      return sslContext;
    }
    try {
      return SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new SSLException("no default TLS context", e);
    }
  }

  private List<HeaderField> requestHeaders(long deadline) {
    List<HeaderField> fields = new ArrayList<>(fixedHeaders.size() + 1);
    fields.addAll(fixedHeaders);
    // The server may give up when the client will: gRPC's TimeoutValue has at most 8 digits.
    long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
    fields.add(new HeaderField("grpc-timeout", millis <= 99_999_999L ? millis + "m" : (millis / 1000) + "S"));
    return fields;
  }

  private void checkStatus(Http2Response response) throws OtlpExportException {
    String receiver = "OTLP receiver " + describe();
    if (!response.complete()) {
      if (response.unprocessed()) {
        throw new OtlpExportException(
            receiver + " refused the call (stream refused or connection going away)", true);
      }
      // gRPC reads these as UNAVAILABLE, CANCELLED and RESOURCE_EXHAUSTED, the rest as INTERNAL.
      long code = response.resetCode();
      boolean retryable = code == Http2Exception.REFUSED_STREAM
          || code == Http2Exception.CANCEL
          || code == Http2Exception.ENHANCE_YOUR_CALM;
      throw new OtlpExportException(
          receiver + " reset the call with HTTP/2 error " + Http2Exception.errorName(code), retryable);
    }
    String httpStatus = response.header(":status");
    String grpcStatus = response.value("grpc-status");
    int code;
    String detail;
    if (grpcStatus != null) {
      code = parseStatus(grpcStatus);
      String message = response.value("grpc-message");
      detail = GrpcStatus.name(code) + " (" + code + ")"
          + (message == null || message.isEmpty() ? "" : ": " + GrpcStatus.decodeMessage(message));
    } else if (!"200".equals(httpStatus)) {
      code = GrpcStatus.fromHttpStatus(parseStatus(httpStatus));
      detail = "HTTP " + httpStatus + " without grpc-status, taken as " + GrpcStatus.name(code);
    } else {
      code = GrpcStatus.INTERNAL;
      detail = "HTTP 200 without grpc-status";
    }
    if (code != GrpcStatus.OK) {
      throw new OtlpExportException(receiver + " answered " + detail, GrpcStatus.isRetryable(code));
    }
  }

  private static int parseStatus(String value) {
    try {
      return value == null ? -1 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return GrpcStatus.UNKNOWN;
    }
  }

  private void discardConnection() {
    if (connection != null) {
      // Whatever is left of the time is not worth spending on a polite close.
      connection.close(System.nanoTime());
      connection = null;
    }
  }

  private String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static boolean isCertificateProblem(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException || cause instanceof CertPathValidatorException) {
        return true;
      }
    }
    return false;
  }

  /** RFC 9110 5.6.2 token, lower case only as HTTP/2 requires. */
  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisibleAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
