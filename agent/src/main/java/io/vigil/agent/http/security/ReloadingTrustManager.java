package io.vigil.agent.http.security;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificates against the CA(s) of {@code prometheus.tls.client-ca}, re-read when
 * the file changes, through the JDK's PKIX trust manager (chain building, validity, key usage).
 * Server certificates are never checked here: the agent port is no TLS client.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {

  private final Reloading<X509ExtendedTrustManager> trust;

  private ReloadingTrustManager(WatchedFile clientCa) throws PortSecurityException {
    String file = clientCa.describe();
    this.trust = Reloading.start("client CA", Collections.singletonList(clientCa),
        contents -> trusting(Pem.certificates(contents.get(0), file), file), (old, current) -> { });
  }

  static ReloadingTrustManager open(WatchedFile clientCa) throws PortSecurityException {
    return new ReloadingTrustManager(clientCa);
  }

  private static X509ExtendedTrustManager trusting(List<X509Certificate> authorities, String file)
      throws PortSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager) {
          return (X509ExtendedTrustManager) manager;
        }
      }
      throw new PortSecurityException("this JVM has no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PortSecurityException(file + " cannot be used to verify clients (" + e.getMessage() + ")");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    trust.current().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    trust.current().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    trust.current().checkClientTrusted(chain, authType);
  }

  /** The CAs named in the handshake's certificate request; read first in a handshake, so it reloads. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trust.current().getAcceptedIssuers();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the agent port does not check server certificates");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the agent port does not check server certificates");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the agent port does not check server certificates");
  }
}
