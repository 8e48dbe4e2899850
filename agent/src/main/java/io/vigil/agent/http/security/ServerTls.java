package io.vigil.agent.http.security;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * HTTPS for the agent port with the JDK's own TLS: TLS 1.3 and 1.2 only (1.3 where the JVM has it),
 * the certificate and key served from files that are re-read when they change, and, with a client
 * CA, client certificates verified against it.
 *
 * <p>Client certificates are requested, not demanded, in the handshake: a client that sends one must
 * pass verification or the handshake fails, while one that sends none still connects and then gets
 * 403 on every path but the two probes ({@link PortAuthenticator}). That is what keeps Kubernetes
 * probes, which never present a certificate, working on a mutual-TLS port.
 */
final class ServerTls {

  private static final List<String> PROTOCOLS = Arrays.asList("TLSv1.3", "TLSv1.2");

  private final SSLContext context;
  private final ReloadingKeyManager keys;
  private final boolean clientCertificates;

  private ServerTls(SSLContext context, ReloadingKeyManager keys, boolean clientCertificates) {
    this.context = context;
    this.keys = keys;
    this.clientCertificates = clientCertificates;
  }

  /** Reads the files now; throws with a loggable message if any of them cannot be used. */
  static ServerTls open(WatchedFile certificate, WatchedFile privateKey, WatchedFile clientCa)
      throws PortSecurityException {
    final SSLContext[] built = new SSLContext[1];
    // A rotated key must not live on in resumable sessions: end them so the next connection
    // negotiates afresh and sees the new certificate.
    ReloadingKeyManager keys = ReloadingKeyManager.open(certificate, privateKey, () -> invalidateSessions(built[0]));
    TrustManager[] trust = clientCa == null ? null : new TrustManager[] {ReloadingTrustManager.open(clientCa)};
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new javax.net.ssl.KeyManager[] {keys}, trust, null);
      built[0] = context;
      return new ServerTls(context, keys, clientCa != null);
    } catch (GeneralSecurityException e) {
      throw new PortSecurityException("this JVM cannot set up TLS (" + e.getMessage() + ")");
    }
  }

  HttpsConfigurator configurator() {
    final String[] protocols = protocols();
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        // Called for every new connection, before its handshake: look at the files here too, since a
        // resumed session never asks the key manager and would otherwise keep the old certificate.
        keys.refresh();
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        parameters.setProtocols(protocols);
        if (clientCertificates) {
          parameters.setWantClientAuth(true);
        }
        params.setSSLParameters(parameters);
      }
    };
  }

  /**
   * For the start-up line: protocols and the certificate's subject and expiry (client certificates
   * are for the authentication to mention).
   */
  String describe() {
    X509Certificate certificate = keys.certificate();
    return String.join("/", protocols()) + ", certificate " + certificate.getSubjectX500Principal().getName()
        + " valid until " + certificate.getNotAfter().toInstant();
  }

  private String[] protocols() {
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
    List<String> enabled = new ArrayList<>();
    for (String protocol : PROTOCOLS) {
      if (supported.contains(protocol)) {
        enabled.add(protocol);
      }
    }
    return enabled.toArray(new String[0]);
  }

  private static void invalidateSessions(SSLContext context) {
    if (context == null) {
      return;
    }
    SSLSessionContext sessions = context.getServerSessionContext();
    for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
      javax.net.ssl.SSLSession session = sessions.getSession(ids.nextElement());
      if (session != null) {
        session.invalidate();
      }
    }
  }
}
