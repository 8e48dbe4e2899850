package io.vigil.agent.http.security;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Lets a request through when it is for one of the two probes, or when it carries what the port
 * asks for: a verified client certificate when a client CA is set, and then HTTP basic credentials
 * or a bearer token when either is set (either one will do). A refused request is counted and
 * answered 401 with a {@code WWW-Authenticate} challenge for each scheme, or 403 when the client
 * certificate is missing, since no HTTP header can fix that. Credentials tried are never logged.
 *
 * <p>The user name and the password are both always compared, so the time taken does not tell
 * which of the two was wrong.
 */
final class PortAuthenticator extends Authenticator {

  static final String REALM = "vigil";
  /** The Kubernetes probes: no secret needed, and {@code HealthHandler} never shows them details for it. */
  static final Set<String> OPEN_PATHS =
      Collections.unmodifiableSet(new HashSet<>(Arrays.asList("/health/live", "/health/ready")));
  private static final HttpPrincipal ANONYMOUS = new HttpPrincipal("anonymous", REALM);

  private final byte[] username;
  private final Secret password;
  private final Secret token;
  private final boolean clientCertificate;
  private final Runnable refused;

  /** {@code user} and {@code password} together or both null; {@code token} null when not set. */
  PortAuthenticator(String user, Secret password, Secret token, boolean clientCertificate, Runnable refused) {
    this.username = user == null ? null : Secret.sha256(user);
    this.password = password;
    this.token = token;
    this.clientCertificate = clientCertificate;
    this.refused = refused;
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    if (OPEN_PATHS.contains(exchange.getRequestURI().getPath())) {
      return new Success(ANONYMOUS);
    }
    String certificateSubject = null;
    if (clientCertificate) {
      certificateSubject = verifiedClient(exchange);
      if (certificateSubject == null) {
        refused.run();
        return new Failure(403);
      }
    }
    if (password == null && token == null) {
      return new Success(new HttpPrincipal(certificateSubject, REALM));
    }
    String user = authenticated(exchange.getRequestHeaders().getFirst("Authorization"));
    if (user != null) {
      return new Success(new HttpPrincipal(user, REALM));
    }
    refused.run();
    if (password != null) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    }
    if (token != null) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
    }
    return new Retry(401);
  }

  /** The authenticated user's name ({@code bearer} for a token), or null. */
  String authenticated(String authorization) {
    if (authorization == null) {
      return null;
    }
    int space = authorization.indexOf(' ');
    if (space <= 0) {
      return null;
    }
    String scheme = authorization.substring(0, space).toLowerCase(Locale.ROOT);
    String credentials = authorization.substring(space + 1).trim();
    if (scheme.equals("basic") && password != null) {
      return basic(credentials);
    }
    if (scheme.equals("bearer") && token != null && token.matches(credentials)) {
      return "bearer";
    }
    return null;
  }

  private String basic(String credentials) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    boolean userMatches = MessageDigest.isEqual(Secret.sha256(user), username);
    boolean passwordMatches = password.matches(decoded.substring(colon + 1));
    return userMatches & passwordMatches ? user : null;
  }

  /** The subject of the client's certificate, which the handshake verified, or null if it sent none. */
  private static String verifiedClient(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange)) {
      return null;
    }
    try {
      Certificate[] chain = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
      return chain.length == 0 ? null : ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
