package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GrpcStatusTest {

  @Test
  void retryableCodes() {
    for (int code = 0; code <= 16; code++) {
      boolean expected = code == 4 || code == 8 || code == 10 || code == 14;
      assertEquals(expected, GrpcStatus.isRetryable(code), GrpcStatus.name(code));
    }
    assertFalse(GrpcStatus.isRetryable(99));
  }

  @Test
  void names() {
    assertEquals("OK", GrpcStatus.name(0));
    assertEquals("INVALID_ARGUMENT", GrpcStatus.name(3));
    assertEquals("UNAVAILABLE", GrpcStatus.name(14));
    assertEquals("UNAUTHENTICATED", GrpcStatus.name(16));
    assertEquals("CODE_42", GrpcStatus.name(42));
  }

  @Test
  void httpStatusMapping() {
    assertEquals(GrpcStatus.INTERNAL, GrpcStatus.fromHttpStatus(400));
    assertEquals(GrpcStatus.UNAUTHENTICATED, GrpcStatus.fromHttpStatus(401));
    assertEquals(GrpcStatus.PERMISSION_DENIED, GrpcStatus.fromHttpStatus(403));
    assertEquals(GrpcStatus.UNIMPLEMENTED, GrpcStatus.fromHttpStatus(404));
    for (int status : new int[] {429, 502, 503, 504}) {
      assertTrue(GrpcStatus.isRetryable(GrpcStatus.fromHttpStatus(status)));
    }
    assertEquals(GrpcStatus.UNKNOWN, GrpcStatus.fromHttpStatus(500));
  }

  @Test
  void messageIsPercentDecodedUtf8() {
    assertEquals("plain message", GrpcStatus.decodeMessage("plain message"));
    assertEquals("100% über", GrpcStatus.decodeMessage("100%25 %C3%BCber"));
    assertEquals("broken %zz and %4", GrpcStatus.decodeMessage("broken %zz and %4"));
  }
}
