package io.vigil.agent.trace;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** The protobuf of a received export request, gunzipped when it was sent compressed. */
final class OtlpBodies {

  private OtlpBodies() {}

  static byte[] decoded(LoggedRequest request) throws IOException {
    byte[] body = request.getBody();
    boolean gzipHeader = "gzip".equals(request.getHeader("Content-Encoding"));
    // WireMock may hand the body over already inflated; the gzip magic number tells.
    boolean gzipBytes = body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
    if (!gzipHeader || !gzipBytes) {
      return body;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }
}
