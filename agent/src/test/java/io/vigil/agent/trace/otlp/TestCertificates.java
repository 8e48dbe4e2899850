package io.vigil.agent.trace.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA, a collector certificate it signed (for {@code localhost} and {@link #COLLECTOR_HOST})
 * and a client certificate it signed, made with the running JDK's keytool: PEM files for the agent,
 * PKCS#12 stores for the WireMock receiver. A second, unrelated CA shows that trust is really
 * checked. Also used by the {@code check} command's TLS tests.
 */
public final class TestCertificates {

  public static final String PASSWORD = "changeit";
  /** A name only the test proxy knows how to reach, so the JVM's proxy settings apply to it. */
  static final String COLLECTOR_HOST = "collector.vigil.test";

  public final Path caPem;
  public final Path otherCaPem;
  public final Path serverKeyStore;
  public final Path serverTrustStore;
  public final Path clientCertificatePem;
  public final Path clientKeyPem;

  private final Path dir;

  public TestCertificates(Path dir) throws Exception {
    this.dir = dir;
    caPem = authority("ca", "CN=Vigil Test CA");
    otherCaPem = authority("other-ca", "CN=Someone Else's CA");
    serverKeyStore = signed("server", "CN=localhost", "SAN=dns:localhost,dns:" + COLLECTOR_HOST + ",ip:127.0.0.1");
    serverTrustStore = dir.resolve("server-trust.p12");
    keytool("-importcert", "-noprompt", "-keystore", serverTrustStore, "-alias", "ca", "-file", caPem);
    Path clientStore = signed("client", "CN=vigil-agent", "EKU=clientAuth");
    clientCertificatePem = dir.resolve("client.crt.pem");
    clientKeyPem = dir.resolve("client.key.pem");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(clientStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    byte[] pkcs8 = store.getKey("client", PASSWORD.toCharArray()).getEncoded();
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
    Files.write(clientKeyPem, pem.getBytes(StandardCharsets.US_ASCII));
  }

  private Path authority(String alias, String dname) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-keystore", store, "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
        "-dname", dname, "-ext", "bc:c", "-validity", "2");
    Path pem = dir.resolve(alias + ".pem");
    keytool("-exportcert", "-rfc", "-keystore", store, "-alias", alias, "-file", pem);
    return pem;
  }

  /** A key pair whose certificate the CA signed, in a PKCS#12 store holding the chain. */
  private Path signed(String alias, String dname, String extension) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    Path request = dir.resolve(alias + ".csr");
    Path certificate = dir.resolve(alias + ".crt.pem");
    keytool("-genkeypair", "-keystore", store, "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
        "-dname", dname, "-validity", "2");
    keytool("-certreq", "-keystore", store, "-alias", alias, "-file", request);
    keytool("-gencert", "-rfc", "-keystore", dir.resolve("ca.p12"), "-alias", "ca", "-infile", request,
        "-outfile", certificate, "-ext", extension, "-validity", "2");
    keytool("-importcert", "-noprompt", "-keystore", store, "-alias", "ca", "-file", caPem);
    keytool("-importcert", "-noprompt", "-keystore", store, "-alias", alias, "-file", certificate);
    return store;
  }

  private static void keytool(Object... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object arg : args) {
      command.add(arg.toString());
    }
    command.addAll(Arrays.asList("-storetype", "PKCS12", "-storepass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + Arrays.toString(args) + " failed: " + new String(output, StandardCharsets.UTF_8));
    }
  }
}
