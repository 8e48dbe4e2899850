package io.vigil.api.config;

/**
 * The agent port's {@code prometheus.tls.*} and {@code prometheus.auth.*} settings and {@code
 * health.details}, as given: file paths and the password, each null when not set. Checking that
 * they fit together and reading the files is the agent's job when it opens the port.
 *
 * <p>There is deliberately no {@code toString}: the password must never reach a log line.
 */
public final class PortSecurityConfig {

  /** No TLS, no authentication, details for everyone: the port as it was before these settings. */
  public static final PortSecurityConfig NONE = builder().build();

  private final String tlsCertificate;
  private final String tlsPrivateKey;
  private final String tlsClientCa;
  private final String username;
  private final String password;
  private final String passwordFile;
  private final String bearerTokenFile;
  private final HealthDetails healthDetails;

  private PortSecurityConfig(Builder b) {
    this.tlsCertificate = b.tlsCertificate;
    this.tlsPrivateKey = b.tlsPrivateKey;
    this.tlsClientCa = b.tlsClientCa;
    this.username = b.username;
    this.password = b.password;
    this.passwordFile = b.passwordFile;
    this.bearerTokenFile = b.bearerTokenFile;
    this.healthDetails = b.healthDetails != null
        ? b.healthDetails
        : authenticates() ? HealthDetails.AUTHORIZED : HealthDetails.ALWAYS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String tlsCertificate() {
    return tlsCertificate;
  }

  public String tlsPrivateKey() {
    return tlsPrivateKey;
  }

  public String tlsClientCa() {
    return tlsClientCa;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  public String passwordFile() {
    return passwordFile;
  }

  public String bearerTokenFile() {
    return bearerTokenFile;
  }

  /** As set, else {@code authorized} when any authentication is set, else {@code always}. */
  public HealthDetails healthDetails() {
    return healthDetails;
  }

  /** True when any TLS setting is given (whether they fit together is checked at the port). */
  public boolean tls() {
    return tlsCertificate != null || tlsPrivateKey != null || tlsClientCa != null;
  }

  /** True when any way of authenticating a client is set: a password, a token or a client CA. */
  public boolean authenticates() {
    return username != null || password != null || passwordFile != null || bearerTokenFile != null
        || tlsClientCa != null;
  }

  /** Every setting starts unset. */
  public static final class Builder {
    private String tlsCertificate;
    private String tlsPrivateKey;
    private String tlsClientCa;
    private String username;
    private String password;
    private String passwordFile;
    private String bearerTokenFile;
    private HealthDetails healthDetails;

    private Builder() {}

    public Builder tls(String certificate, String privateKey, String clientCa) {
      tlsCertificate = certificate;
      tlsPrivateKey = privateKey;
      tlsClientCa = clientCa;
      return this;
    }

    public Builder basicAuth(String user, String secret, String secretFile) {
      username = user;
      password = secret;
      passwordFile = secretFile;
      return this;
    }

    public Builder bearerTokenFile(String v) {
      bearerTokenFile = v;
      return this;
    }

    /** Null leaves the default, which depends on whether authentication is set. */
    public Builder healthDetails(HealthDetails v) {
      healthDetails = v;
      return this;
    }

    public PortSecurityConfig build() {
      return new PortSecurityConfig(this);
    }
  }
}
