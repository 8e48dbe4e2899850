package io.vigil.agent.http.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM with the JDK alone: X.509 certificates (a chain, the server's own first) and an
 * unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}), RSA or EC. Other key encodings are
 * named in the error together with the command that converts them, since that is what a user hits
 * with a key from cert-manager's default PKCS#1 encoding.
 */
final class Pem {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private Pem() {}

  static List<X509Certificate> certificates(byte[] pem, String file) throws PortSecurityException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      for (Certificate certificate : all) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new PortSecurityException(file + " holds no readable PEM certificate (" + e.getMessage() + ")");
    }
    if (certificates.isEmpty()) {
      throw new PortSecurityException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /** The key, of the algorithm of the certificate it belongs to ({@code RSA} or {@code EC}). */
  static PrivateKey privateKey(byte[] pem, String algorithm, String file) throws PortSecurityException {
    Matcher block = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!block.find()) {
      throw new PortSecurityException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    String type = block.group(1);
    if (!type.equals("PRIVATE KEY")) {
      throw new PortSecurityException(file + " holds a '" + type + "', not an unencrypted PKCS#8 'PRIVATE KEY';"
          + " convert it with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key>.pkcs8"
          + " (cert-manager: privateKey.encoding: PKCS8)");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new PortSecurityException(file + " holds no readable " + algorithm + " PKCS#8 private key for the"
          + " certificate's " + algorithm + " public key");
    }
  }
}
