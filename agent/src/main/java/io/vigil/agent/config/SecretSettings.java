package io.vigil.agent.config;

import java.util.Locale;

/**
 * Which settings may hold secrets, and how a value appears in a message: a secret's value never
 * does, not even when it is malformed, because a broken {@code otlp.headers} still carries its
 * bearer token. Messages about such a setting name the key, the source and the value's length.
 *
 * <p>A key is secret when it is listed here or when its name says so ({@code password}, {@code
 * token}, {@code secret}, {@code credential}, {@code private-key}, {@code dsn}), so that settings
 * added later ({@code prometheus.auth.password}, {@code errors.sentry.dsn}) are covered without a
 * change here.
 */
public final class SecretSettings {

  private static final String[] SECRET_KEYS = {"otlp.headers"};
  private static final String[] SECRET_WORDS = {"password", "token", "secret", "credential", "private-key", "dsn"};

  private SecretSettings() {}

  /** Whether values of {@code key} (a configuration key, {@code otlp.headers}) may hold a secret. */
  public static boolean isSecret(String key) {
    if (key == null) {
      return false;
    }
    String k = key.toLowerCase(Locale.ROOT);
    for (String secret : SECRET_KEYS) {
      if (k.equals(secret)) {
        return true;
      }
    }
    for (String word : SECRET_WORDS) {
      if (k.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code value} as a message may show it: quoted, or for a secret key only its length; a URL's
   * user information ({@code user:password@}) is masked in every value.
   */
  public static String shown(String key, String value) {
    if (value == null) {
      return "(none)";
    }
    if (isSecret(key)) {
      return "(" + value.length() + " characters, not shown: the setting may hold a secret)";
    }
    return "'" + withoutUserInfo(value) + "'";
  }

  /**
   * {@code text} with the user information of a URL in it replaced by {@code ***}: {@code
   * http://user:pw@host/} becomes {@code http://***@host/}. Text without {@code ://...@} is returned
   * as it is.
   */
  public static String withoutUserInfo(String text) {
    int scheme = text.indexOf("://");
    if (scheme < 0) {
      return text;
    }
    int authority = scheme + 3;
    int end = authority;
    while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    int at = text.lastIndexOf('@', end - 1);
    if (at < authority) {
      return text;
    }
    return text.substring(0, authority) + "***" + text.substring(at);
  }
}
