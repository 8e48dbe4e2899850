package io.vigil.agent.http.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;

/**
 * A password or token that requests are checked against, held only as its SHA-256 digest. Comparing
 * digests of equal length with {@link MessageDigest#isEqual} takes the same time wherever the first
 * difference is, and hashing first hides the secret's length too. A secret read from a file is read
 * again when the file changes (a rotated Kubernetes secret); whitespace around it, such as the line
 * break {@code echo} leaves, is not part of it.
 */
final class Secret {

  private final byte[] digest;
  private final Reloading<byte[]> fromFile;

  private Secret(byte[] digest, Reloading<byte[]> fromFile) {
    this.digest = digest;
    this.fromFile = fromFile;
  }

  static Secret of(String value) {
    return new Secret(sha256(value), null);
  }

  /** Reads the file now; throws naming the file (never its content) if it is unreadable or blank. */
  static Secret fromFile(final WatchedFile file) throws PortSecurityException {
    Reloading<byte[]> reloading = Reloading.start(file.setting(), Collections.singletonList(file), contents -> {
      String value = new String(contents.get(0), StandardCharsets.UTF_8).trim();
      if (value.isEmpty()) {
        throw new PortSecurityException(file.describe() + " is empty");
      }
      return sha256(value);
    }, (old, current) -> { });
    return new Secret(null, reloading);
  }

  boolean matches(String candidate) {
    return MessageDigest.isEqual(sha256(candidate), fromFile == null ? digest : fromFile.current());
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
