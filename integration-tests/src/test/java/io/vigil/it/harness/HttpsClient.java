package io.vigil.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS requests to an agent port that trust one CA and may present a client certificate. Every
 * request uses a new TLS context and connection, so it sees what a new client would: the
 * certificate served now, never a resumed session.
 */
public final class HttpsClient {

  private final Path trustedCa;
  private final Path clientPkcs12;

  private HttpsClient(Path trustedCa, Path clientPkcs12) {
    this.trustedCa = trustedCa;
    this.clientPkcs12 = clientPkcs12;
  }

  public static HttpsClient trusting(Path caCertificate) {
    return new HttpsClient(caCertificate, null);
  }

  public HttpsClient withClientCertificate(Path pkcs12) {
    return new HttpsClient(trustedCa, pkcs12);
  }

  /** What came back, with the serial number of the server's certificate. */
  public record Response(int status, String body, List<String> challenges, BigInteger servedSerial) {}

  /** GET; {@code authorization} is the header's value or null. Throws IOException when TLS fails. */
  public Response get(int port, String path, String authorization) throws IOException {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .sslContext(context())
        .build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
      return new Response(response.statusCode(), response.body(), response.headers().allValues("WWW-Authenticate"),
          served.getSerialNumber());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String basic(String user, String password) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private SSLContext context() {
    try (InputStream ca = Files.newInputStream(trustedCa)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
      TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
      trustFactory.init(trust);
      KeyManagerFactory keyFactory = null;
      if (clientPkcs12 != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientPkcs12)) {
          keys.load(in, TestCertificates.PKCS12_PASSWORD.toCharArray());
        }
        keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyFactory.init(keys, TestCertificates.PKCS12_PASSWORD.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyFactory == null ? null : new KeyManager[] {new Insistent((X509ExtendedKeyManager) keyFactory.getKeyManagers()[0])},
          trustFactory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("test TLS client set-up failed", e);
    }
  }

  /**
   * Presents the client certificate whichever CAs the server asks for, as curl and OpenSSL do; the
   * JDK's own key manager would quietly send none when its issuer is not in the server's list.
   */
  private static final class Insistent extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;
    private final String alias;

    Insistent(X509ExtendedKeyManager keys) {
      this.keys = keys;
      this.alias = keys.getClientAliases("RSA", null)[0];
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, SSLEngine engine) {
      return alias;
    }

    @Override
    public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return alias;
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String name) {
      return keys.getCertificateChain(name);
    }

    @Override
    public java.security.PrivateKey getPrivateKey(String name) {
      return keys.getPrivateKey(name);
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return null;
    }
  }
}
