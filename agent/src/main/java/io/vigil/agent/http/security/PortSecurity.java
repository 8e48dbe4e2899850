package io.vigil.agent.http.security;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.vigil.api.config.PortSecurityConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What protects the agent port: HTTPS from {@code prometheus.tls.*} and authentication from
 * {@code prometheus.auth.*} and the client CA. {@link #open} checks that the settings fit together
 * and reads every file once; any problem is a {@link PortSecurityException} whose message names the
 * settings and files involved, and the caller keeps the port off rather than open it unprotected.
 */
public final class PortSecurity {

  private final ServerTls tls;
  private final PortAuthenticator authenticator;
  private final String authentication;

  private PortSecurity(ServerTls tls, PortAuthenticator authenticator, String authentication) {
    this.tls = tls;
    this.authenticator = authenticator;
    this.authentication = authentication;
  }

  /** {@code refused} is called once for every request refused for its credentials or certificate. */
  public static PortSecurity open(PortSecurityConfig config, Runnable refused) throws PortSecurityException {
    checkTogether(config);
    ServerTls tls = null;
    if (config.tlsCertificate() != null) {
      tls = ServerTls.open(
          new WatchedFile("prometheus.tls.certificate", config.tlsCertificate()),
          new WatchedFile("prometheus.tls.private-key", config.tlsPrivateKey()),
          config.tlsClientCa() == null ? null : new WatchedFile("prometheus.tls.client-ca", config.tlsClientCa()));
    }
    List<String> ways = new ArrayList<>();
    Secret password = null;
    if (config.password() != null) {
      password = Secret.of(config.password());
    } else if (config.passwordFile() != null) {
      password = Secret.fromFile(new WatchedFile("prometheus.auth.password-file", config.passwordFile()));
    }
    if (password != null) {
      ways.add("basic authentication");
    }
    Secret token = null;
    if (config.bearerTokenFile() != null) {
      token = Secret.fromFile(new WatchedFile("prometheus.auth.bearer-token-file", config.bearerTokenFile()));
      ways.add("bearer token");
    }
    if (config.tlsClientCa() != null) {
      ways.add("client certificate");
    }
    PortAuthenticator authenticator = ways.isEmpty()
        ? null
        : new PortAuthenticator(config.username(), password, token, config.tlsClientCa() != null, refused);
    return new PortSecurity(tls, authenticator, ways.isEmpty() ? "no authentication" : String.join(" + ", ways));
  }

  private static void checkTogether(PortSecurityConfig c) throws PortSecurityException {
    if ((c.tlsCertificate() == null) != (c.tlsPrivateKey() == null)) {
      throw new PortSecurityException("prometheus.tls.certificate and prometheus.tls.private-key go together, but only "
          + (c.tlsCertificate() == null ? "prometheus.tls.private-key" : "prometheus.tls.certificate") + " is set");
    }
    if (c.tlsClientCa() != null && c.tlsCertificate() == null) {
      throw new PortSecurityException("prometheus.tls.client-ca needs prometheus.tls.certificate and"
          + " prometheus.tls.private-key: client certificates are only asked for over TLS");
    }
    boolean hasPassword = c.password() != null || c.passwordFile() != null;
    if (c.password() != null && c.passwordFile() != null) {
      throw new PortSecurityException("set prometheus.auth.password or prometheus.auth.password-file, not both");
    }
    if (c.username() != null && !hasPassword) {
      throw new PortSecurityException(
          "prometheus.auth.username is set without prometheus.auth.password or prometheus.auth.password-file");
    }
    if (c.username() == null && hasPassword) {
      throw new PortSecurityException("a password is set without prometheus.auth.username");
    }
    if (c.username() != null && c.username().indexOf(':') >= 0) {
      throw new PortSecurityException("prometheus.auth.username cannot contain ':' (HTTP basic authentication)");
    }
  }

  /** An HTTPS server when TLS is set, else a plain HTTP one; bound, not yet started. */
  public HttpServer bind(InetSocketAddress address, int backlog) throws IOException {
    if (tls == null) {
      return HttpServer.create(address, backlog);
    }
    HttpsServer server = HttpsServer.create(address, backlog);
    server.setHttpsConfigurator(tls.configurator());
    return server;
  }

  /** Puts a context behind the authentication, if there is one. */
  public void protect(HttpContext context) {
    if (authenticator != null) {
      context.setAuthenticator(authenticator);
    }
  }

  public String scheme() {
    return tls == null ? "http" : "https";
  }

  public boolean authenticates() {
    return authenticator != null;
  }

  /** True when TLS or authentication is on: the port is not the open one of the defaults. */
  public boolean protects() {
    return tls != null || authenticator != null;
  }

  /** For the start-up line: the TLS set-up and the ways of authenticating, never a secret. */
  public String describe() {
    return (tls == null ? "" : tls.describe() + ", ") + authentication;
  }
}
