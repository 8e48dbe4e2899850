package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** gRPC over TLS with ALPN h2, against a real grpc-java server with a throwaway certificate. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpGrpcTransportTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir
  static Path directory;

  private static KeyManagerFactory keyManagers;
  private static SSLContext trustingClient;

  /** A certificate for 127.0.0.1 only, made with the JDK's keytool. */
  @BeforeAll
  static void makeCertificate() throws Exception {
    Path keyStoreFile = directory.resolve("server.p12");
    Process keytool = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=vigil-test", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", keyStoreFile.toString(),
            "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true)
        .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertEquals(0, keytool.waitFor(), output);

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keyStoreFile.toFile())) {
      keyStore.load(in, PASSWORD);
    }
    keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keyStore, PASSWORD);

    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("server", keyStore.getCertificate("server"));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trustStore);
    trustingClient = SSLContext.getInstance("TLS");
    trustingClient.init(null, trustManagers.getTrustManagers(), null);
    Files.delete(keyStoreFile);
  }

  private static GrpcTestServer tlsServer() throws Exception {
    return GrpcTestServer.start(builder -> {
      try {
        builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(keyManagers)).build());
      } catch (javax.net.ssl.SSLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void callsOverTlsWithAlpnShareOneConnection() throws Exception {
    try (GrpcTestServer server = tlsServer()) {
      OtlpGrpcTransport transport = new OtlpGrpcTransport(
          URI.create("https://127.0.0.1:" + server.port()), Map.of("authorization", "Bearer t"), 5000, trustingClient);
      byte[] small = OtlpGrpcTransportTest.exportRequest(2).toByteArray();
      byte[] large = OtlpGrpcTransportTest.exportRequest(5000).toByteArray();
      for (int i = 0; i < 20; i++) {
        transport.send(small);
      }
      transport.send(large);
      assertArrayEquals(small, server.requests.get(0));
      assertArrayEquals(large, server.requests.get(20));
      assertEquals(1, server.connections.get());
      assertEquals("https://127.0.0.1:" + server.port() + " (grpc)", transport.describe());
      transport.shutdown();
    }
  }

  @Test
  void grpcErrorsOverTls() throws Exception {
    try (GrpcTestServer server = tlsServer()) {
      server.handler = (request, responses) ->
          responses.onError(io.grpc.Status.UNAVAILABLE.withDescription("busy").asRuntimeException());
      OtlpGrpcTransport transport = new OtlpGrpcTransport(
          URI.create("https://127.0.0.1:" + server.port()), Map.of(), 5000, trustingClient);
      OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
      assertTrue(e.retryable());
      assertTrue(e.getMessage().endsWith("answered UNAVAILABLE (14): busy"), e.getMessage());
      transport.shutdown();
    }
  }

  @Test
  void untrustedCertificateIsNotRetryable() throws Exception {
    try (GrpcTestServer server = tlsServer()) {
      // The JVM's own trust store does not know the throwaway certificate.
      OtlpGrpcTransport transport = new OtlpGrpcTransport(
          URI.create("https://127.0.0.1:" + server.port()), Map.of(), 5000);
      OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
      assertEquals(0, server.requests.size());
    }
  }

  @Test
  void hostNameIsVerified() throws Exception {
    try (GrpcTestServer server = tlsServer()) {
      // Trusted certificate, but issued for 127.0.0.1, not for localhost.
      OtlpGrpcTransport transport = new OtlpGrpcTransport(
          URI.create("https://localhost:" + server.port()), Map.of(), 5000, trustingClient);
      OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
      assertFalse(e.retryable(), e.getMessage());
      assertEquals(0, server.requests.size());
    }
  }

  @Test
  void tlsServerWithoutHttp2IsRejectedClearly() throws Exception {
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keyManagers.getKeyManagers(), null, null);
    try (SSLServerSocket plainTls = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (SSLSocket socket = (SSLSocket) plainTls.accept()) {
          socket.startHandshake();
          socket.getInputStream().read();
        } catch (Exception ignored) {
          // The client hangs up.
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      OtlpGrpcTransport transport = new OtlpGrpcTransport(
          URI.create("https://127.0.0.1:" + plainTls.getLocalPort()), Map.of(), 5000, trustingClient);
      OtlpExportException e = assertThrows(OtlpExportException.class, () -> transport.send(new byte[] {1}));
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("did not agree to HTTP/2 (ALPN h2)"), e.getMessage());
    }
  }

  @Test
  void alpnIsAvailableOnTheJavaRunningTheTests() {
    // Java 9+ (and 8u252+): the https branch of the constructor accepts the endpoint.
    assertTrue(TlsDeadlineChannel.alpnAvailable());
  }
}
