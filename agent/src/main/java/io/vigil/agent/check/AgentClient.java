package io.vigil.agent.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * GETs from the agent port with {@link HttpURLConnection} (Java 8 has no other client): the
 * credentials and CA of the options, no redirects (credentials go to the URL given and nowhere
 * else), bounded time and size. Every way of not getting an answer becomes an {@link Unreachable}
 * with one line that says which.
 */
final class AgentClient {

  private static final int MAX_BODY = 16 * 1024 * 1024;

  private final String base;
  private final String authorization;
  private final SSLSocketFactory tls;
  private final int timeoutMillis;

  AgentClient(CheckOptions options) throws Unreachable {
    String url = options.url;
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.timeoutMillis = options.timeoutMillis;
    this.tls = options.caFile == null ? null : trusting(options.caFile);
    if (options.user != null) {
      String pair = options.user + ":" + options.password;
      this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    } else if (options.bearerToken != null) {
      this.authorization = "Bearer " + options.bearerToken.trim();
    } else {
      this.authorization = null;
    }
  }

  /** Thrown when the agent gives no usable answer: the check's verdict is UNKNOWN. */
  static final class Unreachable extends Exception {
    Unreachable(String reason) {
      super(reason, null, false, false);
    }
  }

  /** An answer: the status and the body. */
  static final class Answer {
    final int status;
    final String body;

    Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  /** GET {@code path} (with its query); any status comes back, the caller judges it, except 401/403. */
  Answer get(String path) throws Unreachable {
    String where = base + path;
    HttpURLConnection connection;
    try {
      connection = (HttpURLConnection) new URL(where).openConnection();
    } catch (MalformedURLException e) {
      throw new Unreachable("not a usable URL: " + where);
    } catch (IOException e) {
      throw new Unreachable(describe(e, where));
    }
    try {
      connection.setInstanceFollowRedirects(false);
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setUseCaches(false);
      connection.setRequestProperty("Accept", "application/json");
      connection.setRequestProperty("User-Agent", "vigil-check");
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      if (tls != null && connection instanceof HttpsURLConnection) {
        ((HttpsURLConnection) connection).setSSLSocketFactory(tls);
      }
      int status = connection.getResponseCode();
      if (status == 401) {
        throw new Unreachable(authorization == null
            ? "the agent asks for credentials (HTTP 401): give --user with --password-file, --password-env or "
                + CheckOptions.PASSWORD_ENV + ", or --bearer-token-file"
            : "the agent refused the credentials (HTTP 401)");
      }
      if (status == 403) {
        throw new Unreachable("the agent refused the request (HTTP 403): the port asks for a client certificate"
            + " (mutual TLS), which check does not present");
      }
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      return new Answer(status, in == null ? "" : read(in));
    } catch (IOException e) {
      throw new Unreachable(describe(e, where));
    } finally {
      connection.disconnect();
    }
  }

  static String describe(IOException e, String where) {
    String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
    if (e instanceof ConnectException) {
      return "cannot connect to " + where + detail;
    }
    if (e instanceof SocketTimeoutException) {
      return "no answer from " + where + " in time (" + (e.getMessage() == null ? "timed out" : e.getMessage()) + ")";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof SSLHandshakeException) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("PKIX") || message.contains("certification path")) {
        return "TLS failure at " + where + ": the agent's certificate is not trusted; give its CA with --cacert FILE";
      }
      return "TLS failure at " + where + detail;
    }
    if (e instanceof SSLException) {
      return "TLS failure at " + where + detail;
    }
    if (where.startsWith("http:")) {
      // An HTTPS-only port closes a plain HTTP request without an answer.
      return "no HTTP answer from " + where + " (" + e.getClass().getSimpleName() + detail
          + "); if the port speaks HTTPS, use an https:// URL";
    }
    return "no answer from " + where + " (" + e.getClass().getSimpleName() + detail + ")";
  }

  private static String read(InputStream in) throws IOException {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        if (out.size() + n > MAX_BODY) {
          throw new IOException("answer larger than " + MAX_BODY + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    } finally {
      in.close();
    }
  }

  private static SSLSocketFactory trusting(String caFile) throws Unreachable {
    try (InputStream in = Files.newInputStream(Paths.get(caFile))) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new Unreachable("--cacert " + caFile + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new Unreachable("--cacert " + caFile + " cannot be used: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }
}
