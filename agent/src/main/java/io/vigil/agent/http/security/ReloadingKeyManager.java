package io.vigil.agent.http.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key manager, which looks at the certificate and key files at the start of every
 * handshake and serves a replaced pair from the next connection on; established connections keep
 * theirs. Only the server side is implemented: the agent port never acts as a TLS client.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private final Reloading<ServerKeyMaterial> material;
  /** The generation before the current one, for handshakes that chose its alias just before a rotation. */
  private volatile ServerKeyMaterial previous;

  private ReloadingKeyManager(WatchedFile certificate, WatchedFile key, Runnable onRotation)
      throws PortSecurityException {
    AtomicInteger generation = new AtomicInteger();
    String certificateFile = certificate.describe();
    String keyFile = key.describe();
    this.material = Reloading.start("certificate and key", Arrays.asList(certificate, key),
        contents -> ServerKeyMaterial.of(
            contents.get(0), contents.get(1), generation.incrementAndGet(), certificateFile, keyFile),
        (old, current) -> {
          previous = old;
          onRotation.run();
        });
  }

  /** Reads both files now; fails with a loggable message if they are not a usable pair. */
  static ReloadingKeyManager open(WatchedFile certificate, WatchedFile key, Runnable onRotation)
      throws PortSecurityException {
    return new ReloadingKeyManager(certificate, key, onRotation);
  }

  /** Looks at the files and switches to a replaced pair now rather than at the next full handshake. */
  void refresh() {
    material.current();
  }

  /** The certificate served now, for the start-up line. */
  X509Certificate certificate() {
    return material.latest().certificate;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return material.current().keyManager.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return material.current().keyManager.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return material.latest().keyManager.getServerAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    ServerKeyMaterial owner = owner(alias);
    return owner == null ? null : owner.keyManager.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    ServerKeyMaterial owner = owner(alias);
    return owner == null ? null : owner.keyManager.getPrivateKey(alias);
  }

  private ServerKeyMaterial owner(String alias) {
    ServerKeyMaterial current = material.latest();
    if (current.alias.equals(alias)) {
      return current;
    }
    ServerKeyMaterial before = previous;
    return before != null && before.alias.equals(alias) ? before : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
