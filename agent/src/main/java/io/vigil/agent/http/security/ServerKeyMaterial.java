package io.vigil.agent.http.security;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One certificate chain and its private key, checked to belong together, behind the JDK's own key
 * manager (which knows which key fits which TLS signature scheme). Each generation has its own alias,
 * so a handshake that chose an alias before a rotation still finds the key of that alias.
 */
final class ServerKeyMaterial {

  private static final char[] IN_MEMORY = "vigil".toCharArray();

  final String alias;
  final X509ExtendedKeyManager keyManager;
  final X509Certificate certificate;

  private ServerKeyMaterial(String alias, X509ExtendedKeyManager keyManager, X509Certificate certificate) {
    this.alias = alias;
    this.keyManager = keyManager;
    this.certificate = certificate;
  }

  static ServerKeyMaterial of(byte[] certificatePem, byte[] keyPem, int generation, String certificateFile,
      String keyFile) throws PortSecurityException {
    List<X509Certificate> chain = Pem.certificates(certificatePem, certificateFile);
    PublicKey publicKey = chain.get(0).getPublicKey();
    PrivateKey privateKey = Pem.privateKey(keyPem, publicKey.getAlgorithm(), keyFile);
    if (!belongTogether(privateKey, publicKey)) {
      throw new PortSecurityException(
          keyFile + " is not the private key of the first certificate in " + certificateFile);
    }
    String alias = "vigil-" + generation;
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, privateKey, IN_MEMORY, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509ExtendedKeyManager) {
          return new ServerKeyMaterial(alias, (X509ExtendedKeyManager) manager, chain.get(0));
        }
      }
      throw new PortSecurityException("this JVM has no X.509 key manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PortSecurityException("the key of " + keyFile + " cannot be used for TLS (" + e.getMessage() + ")");
    }
  }

  /** Signs with the private key and verifies with the certificate's public key. */
  private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) throws PortSecurityException {
    String algorithm = publicKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = {'v', 'i', 'g', 'i', 'l'};
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new PortSecurityException("a " + publicKey.getAlgorithm() + " key cannot be checked here (" + e.getMessage()
          + "); the agent port takes RSA or EC keys");
    }
  }
}
