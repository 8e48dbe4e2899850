package io.vigil.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made with the machine's {@code openssl}, issuing server and
 * client certificates as PEM with PKCS#8 keys (what the agent port reads), and PKCS#12 bundles for
 * Java clients. Server certificates are for {@code 127.0.0.1} and {@code localhost}.
 */
public final class TestCertificates {

  public static final String PKCS12_PASSWORD = "changeit";

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A new CA in {@code dir} ({@code ca.crt}, {@code ca.key}). */
  public static TestCertificates authority(Path dir, String name) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestCertificates ca = new TestCertificates(dir);
    ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return ca;
  }

  public Path certificate() {
    return dir.resolve("ca.crt");
  }

  /** A certificate and key issued by this CA; {@code keyAlgorithm} is {@code RSA} or {@code EC}. */
  public Issued server(String name, String keyAlgorithm) {
    return issue(name, keyAlgorithm, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  }

  public Issued client(String name) {
    return issue(name, "RSA", "extendedKeyUsage=clientAuth\n");
  }

  private Issued issue(String name, String keyAlgorithm, String extensions) {
    try {
      Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (keyAlgorithm.equals("EC")) {
      openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
    } else {
      openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
    }
    openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr");
    String serial = Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", serial,
        "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
    openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12",
        "-passout", "pass:" + PKCS12_PASSWORD);
    return new Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve(name + ".p12"),
        new java.math.BigInteger(serial));
  }

  /** A certificate and its key: PEM, PKCS#8 key, and both as PKCS#12 for a Java client. */
  public record Issued(Path certificate, Path key, Path pkcs12, java.math.BigInteger serial) {

    /** Puts this pair where {@code other} is, each file replaced in one move, as a secret volume does. */
    public void replace(Issued other) {
      try {
        Path certificateCopy = Files.copy(certificate, other.certificate.resolveSibling(".next.crt"),
            StandardCopyOption.REPLACE_EXISTING);
        Path keyCopy = Files.copy(key, other.key.resolveSibling(".next.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(keyCopy, other.key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(certificateCopy, other.certificate, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("openssl is needed to make test certificates", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
