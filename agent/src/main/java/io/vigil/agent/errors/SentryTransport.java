package io.vigil.agent.errors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** Posts one envelope and reports what Sentry answered. */
interface SentryTransport {

  /** The parts of Sentry's answer the sender acts on. */
  final class Response {
    final int status;
    final String rateLimits;
    final String retryAfter;

    Response(int status, String rateLimits, String retryAfter) {
      this.status = status;
      this.rateLimits = rateLimits;
      this.retryAfter = retryAfter;
    }
  }

  Response post(byte[] envelope) throws IOException;

  /**
   * Over {@link HttpURLConnection}: in every JDK the agent runs on, no dependency, and short
   * timeouts because the sender's queue waits behind each post.
   */
  final class OverHttp implements SentryTransport {
    static final int TIMEOUT_MILLIS = 5000;

    private final URL url;
    private final String auth;

    OverHttp(SentryDsn dsn, String client) throws IOException {
      this.url = new URL(dsn.envelopeUrl());
      this.auth = dsn.authHeader(client);
    }

    @Override
    public Response post(byte[] envelope) throws IOException {
      HttpURLConnection connection = (HttpURLConnection) url.openConnection();
      try {
        connection.setRequestMethod("POST");
        connection.setConnectTimeout(TIMEOUT_MILLIS);
        connection.setReadTimeout(TIMEOUT_MILLIS);
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(envelope.length);
        connection.setRequestProperty("Content-Type", SentryEnvelope.CONTENT_TYPE);
        connection.setRequestProperty("X-Sentry-Auth", auth);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(envelope);
        }
        int status = connection.getResponseCode();
        drain(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
        return new Response(
            status, connection.getHeaderField("X-Sentry-Rate-Limits"), connection.getHeaderField("Retry-After"));
      } finally {
        connection.disconnect();
      }
    }

    /** Reads the (small) body so the JDK can keep the connection alive for the next post. */
    private static void drain(InputStream body) throws IOException {
      if (body == null) {
        return;
      }
      try (InputStream in = body) {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
          // discard
        }
      }
    }
  }
}
