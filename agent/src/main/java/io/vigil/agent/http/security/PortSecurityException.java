package io.vigil.agent.http.security;

/**
 * A port security setting that cannot be used: files that are missing or unreadable, settings that
 * do not fit together. The message names settings and files, never a secret, and is fit to log as
 * is.
 */
public final class PortSecurityException extends Exception {

  private static final long serialVersionUID = 1L;

  public PortSecurityException(String message) {
    super(message);
  }
}
