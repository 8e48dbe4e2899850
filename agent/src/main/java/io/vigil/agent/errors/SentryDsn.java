package io.vigil.agent.errors;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A Sentry DSN, {@code {scheme}://{public key}[:{secret}]@{host}[:{port}][/{path}]/{project id}},
 * and the two things Vigil derives from it: the envelope endpoint {@code
 * {scheme}://{host}[:{port}][/{path}]/api/{project id}/envelope/} and the {@code X-Sentry-Auth}
 * header.
 */
public final class SentryDsn {

  private final String text;
  private final String publicKey;
  private final String secretKey;
  private final String envelopeUrl;

  private SentryDsn(String text, String publicKey, String secretKey, String envelopeUrl) {
    this.text = text;
    this.publicKey = publicKey;
    this.secretKey = secretKey;
    this.envelopeUrl = envelopeUrl;
  }

  /** Null when {@code text} is not a DSN. */
  public static SentryDsn parse(String text) {
    if (text == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String userInfo = uri.getRawUserInfo();
    String path = uri.getRawPath();
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || userInfo == null
        || userInfo.isEmpty() || path == null) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    String projectId = path.substring(slash + 1);
    if (slash < 0 || projectId.isEmpty() || !projectId.matches("[0-9A-Za-z_-]+")) {
      return null;
    }
    int colon = userInfo.indexOf(':');
    String publicKey = colon < 0 ? userInfo : userInfo.substring(0, colon);
    String secretKey = colon < 0 ? null : userInfo.substring(colon + 1);
    if (publicKey.isEmpty()) {
      return null;
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String envelope =
        scheme + "://" + uri.getHost() + port + path.substring(0, slash) + "/api/" + projectId + "/envelope/";
    return new SentryDsn(text.trim(), publicKey, secretKey == null || secretKey.isEmpty() ? null : secretKey, envelope);
  }

  public String envelopeUrl() {
    return envelopeUrl;
  }

  /** The DSN as configured; the envelope header repeats it. */
  public String text() {
    return text;
  }

  /** Sentry's authentication header, protocol version 7. */
  public String authHeader(String client) {
    return "Sentry sentry_version=7, sentry_client=" + client + ", sentry_key=" + publicKey
        + (secretKey == null ? "" : ", sentry_secret=" + secretKey);
  }
}
