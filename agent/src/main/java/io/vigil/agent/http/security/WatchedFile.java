package io.vigil.agent.http.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * A small file (a PEM, a password, a token) read again only when it changed on disk. A change is a
 * new modification time, size or file identity, read through symbolic links, so both a file
 * rewritten in place (cert-manager on a plain volume) and the symlink swap of a Kubernetes secret
 * volume are seen. {@link #content()} returns the very same array while nothing changed, so callers
 * detect a change by identity.
 */
final class WatchedFile {

  /** Certificates, keys and secrets are a few KiB; anything larger is the wrong file. */
  private static final long MAX_BYTES = 1 << 20;

  private final Path path;
  private final String setting;
  private Object[] stamp;
  private byte[] content;

  WatchedFile(String setting, String path) {
    this.setting = setting;
    this.path = Paths.get(path);
  }

  Path path() {
    return path;
  }

  /** The setting that named this file, for messages. */
  String setting() {
    return setting;
  }

  /** The file's bytes, read again if it changed since the last call. */
  synchronized byte[] content() throws PortSecurityException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      Object[] now = {attributes.lastModifiedTime(), attributes.size(), attributes.fileKey()};
      if (content != null && Arrays.equals(now, stamp)) {
        return content;
      }
      if (!attributes.isRegularFile() || attributes.size() > MAX_BYTES) {
        throw new PortSecurityException(
            describe() + " is not a file of at most " + MAX_BYTES / 1024 + " KiB");
      }
      content = Files.readAllBytes(path);
      stamp = now;
      return content;
    } catch (IOException e) {
      // The exception names the path and the failure (no such file, access denied), not the content.
      throw new PortSecurityException(describe() + " cannot be read (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
  }

  String describe() {
    return setting + " file " + path;
  }
}
