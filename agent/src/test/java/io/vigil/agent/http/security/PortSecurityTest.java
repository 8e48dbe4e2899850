package io.vigil.agent.http.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.config.PortSecurityConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortSecurityTest {

  private static final String SECRET = "s3cret-value";

  @TempDir
  Path dir;

  private final AtomicInteger refused = new AtomicInteger();

  private String failure(PortSecurityConfig config) {
    PortSecurityException e = assertThrows(PortSecurityException.class, () -> PortSecurity.open(config, refused::incrementAndGet));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    return e.getMessage();
  }

  @Test
  void settingsThatDoNotFitTogetherAreRefusedWithoutQuotingTheSecret() {
    assertEquals("a password is set without prometheus.auth.username",
        failure(PortSecurityConfig.builder().basicAuth(null, SECRET, null).build()));
    assertEquals("set prometheus.auth.password or prometheus.auth.password-file, not both",
        failure(PortSecurityConfig.builder().basicAuth("u", SECRET, "/x").build()));
    assertEquals("prometheus.auth.username is set without prometheus.auth.password or prometheus.auth.password-file",
        failure(PortSecurityConfig.builder().basicAuth("u", null, null).build()));
    assertTrue(failure(PortSecurityConfig.builder().tls("/a.crt", null, null).build())
        .contains("only prometheus.tls.certificate is set"));
    assertTrue(failure(PortSecurityConfig.builder().tls(null, null, "/ca.crt").build())
        .startsWith("prometheus.tls.client-ca needs prometheus.tls.certificate"));
  }

  @Test
  void unusableFilesNameTheFileAndTheFix() throws IOException {
    Path missing = dir.resolve("missing.crt");
    assertTrue(failure(PortSecurityConfig.builder().tls(missing.toString(), missing.toString(), null).build())
        .startsWith("prometheus.tls.certificate file " + missing + " cannot be read (NoSuchFileException"));
    Path blank = Files.write(dir.resolve("password"), "\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("prometheus.auth.password-file file " + blank + " is empty",
        failure(PortSecurityConfig.builder().basicAuth("u", null, blank.toString()).build()));
    Path notPem = Files.write(dir.resolve("server.crt"), SECRET.getBytes(StandardCharsets.UTF_8));
    assertTrue(failure(PortSecurityConfig.builder().tls(notPem.toString(), notPem.toString(), null).build())
        .contains("holds no"));
  }

  @Test
  void aPkcs1KeyIsNamedWithTheCommandThatConvertsIt() {
    PortSecurityException e = assertThrows(PortSecurityException.class, () -> Pem.privateKey(
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII),
        "RSA", "key.pem"));
    assertTrue(e.getMessage().contains("'RSA PRIVATE KEY', not an unencrypted PKCS#8"), e.getMessage());
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }

  @Test
  void basicCredentialsAreCheckedAsAWhole() {
    PortAuthenticator auth = new PortAuthenticator("prometheus", Secret.of(SECRET), null, false, refused::incrementAndGet);
    assertEquals("prometheus", auth.authenticated(basic("prometheus", SECRET)));
    assertEquals("prometheus", auth.authenticated("basic " + encode("prometheus:" + SECRET)));
    assertNull(auth.authenticated(basic("prometheus", SECRET + "x")));
    assertNull(auth.authenticated(basic("Prometheus", SECRET)));
    assertNull(auth.authenticated(basic("prometheus", "")));
    assertNull(auth.authenticated("Basic " + encode("prometheus")));
    assertNull(auth.authenticated("Basic not-base64!"));
    assertNull(auth.authenticated("Bearer " + SECRET));
    assertNull(auth.authenticated(null));
  }

  @Test
  void aPasswordWithAColonAndNonAsciiCharactersWorks() {
    String password = "a:b:ç€";
    PortAuthenticator auth = new PortAuthenticator("ü", Secret.of(password), null, false, refused::incrementAndGet);
    assertEquals("ü", auth.authenticated(basic("ü", password)));
  }

  @Test
  void aBearerTokenFromAFileIsReadAgainWhenTheFileChanges() throws Exception {
    Path file = Files.write(dir.resolve("token"), "first-token\n".getBytes(StandardCharsets.UTF_8));
    Secret token = Secret.fromFile(new WatchedFile("prometheus.auth.bearer-token-file", file.toString()));
    PortAuthenticator auth = new PortAuthenticator(null, null, token, false, refused::incrementAndGet);
    assertEquals("bearer", auth.authenticated("Bearer first-token"));
    assertNull(auth.authenticated("Bearer second-token"));

    Path next = Files.write(dir.resolve("token.next"), "second-token".getBytes(StandardCharsets.UTF_8));
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    assertEquals("bearer", auth.authenticated("Bearer second-token"));
    assertNull(auth.authenticated("Bearer first-token"));

    // A file emptied by mistake keeps the last good token in service rather than locking everyone out.
    Files.write(file, new byte[0]);
    assertEquals("bearer", auth.authenticated("Bearer second-token"));
  }

  private static String basic(String user, String password) {
    return "Basic " + encode(user + ":" + password);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
