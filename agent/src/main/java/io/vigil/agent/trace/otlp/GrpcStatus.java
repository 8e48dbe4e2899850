package io.vigil.agent.trace.otlp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The gRPC status codes (grpc/doc/statuscodes.md): their names, which ones a retry may cure, the
 * code implied by an HTTP status without {@code grpc-status} (grpc/doc/http-grpc-status-mapping.md),
 * and the percent-decoding of {@code grpc-message}.
 */
final class GrpcStatus {

  static final int OK = 0;
  static final int CANCELLED = 1;
  static final int UNKNOWN = 2;
  static final int DEADLINE_EXCEEDED = 4;
  static final int PERMISSION_DENIED = 7;
  static final int RESOURCE_EXHAUSTED = 8;
  static final int ABORTED = 10;
  static final int UNIMPLEMENTED = 12;
  static final int INTERNAL = 13;
  static final int UNAVAILABLE = 14;
  static final int UNAUTHENTICATED = 16;

  private static final String[] NAMES = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
  };

  private GrpcStatus() {}

  static String name(int code) {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "CODE_" + code;
  }

  /** Unavailable, throttled, timed out or aborted: sending the same request later may succeed. */
  static boolean isRetryable(int code) {
    return code == UNAVAILABLE || code == RESOURCE_EXHAUSTED || code == DEADLINE_EXCEEDED || code == ABORTED;
  }

  /** The status of a response that has an HTTP status other than 200 and no grpc-status. */
  static int fromHttpStatus(int httpStatus) {
    switch (httpStatus) {
      case 400:
        return INTERNAL;
      case 401:
        return UNAUTHENTICATED;
      case 403:
        return PERMISSION_DENIED;
      case 404:
        return UNIMPLEMENTED;
      case 429:
      case 502:
      case 503:
      case 504:
        return UNAVAILABLE;
      default:
        return UNKNOWN;
    }
  }

  /** {@code grpc-message} is UTF-8, percent-encoded; a malformed escape is kept as it is. */
  static String decodeMessage(String encoded) {
    if (encoded.indexOf('%') < 0) {
      return encoded;
    }
    ByteArrayOutputStream octets = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      boolean escape = c == '%' && i + 2 < encoded.length();
      if (escape && isHex(encoded.charAt(i + 1)) && isHex(encoded.charAt(i + 2))) {
        octets.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        octets.write(c);
      }
    }
    return new String(octets.toByteArray(), StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
