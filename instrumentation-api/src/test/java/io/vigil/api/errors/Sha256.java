package io.vigil.api.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The fingerprint recipe's hash, written independently of the code under test. */
final class Sha256 {

  private Sha256() {}

  static String first16Hex(String text) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return String.format("%016x", new java.math.BigInteger(1, java.util.Arrays.copyOf(digest, 8)));
  }
}
