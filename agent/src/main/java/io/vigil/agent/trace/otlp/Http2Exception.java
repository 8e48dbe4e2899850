package io.vigil.agent.trace.otlp;

import java.io.IOException;

/**
 * A connection error of HTTP/2 (RFC 9113 5.4.1) or HPACK: the connection cannot be used any more.
 * Carries the error code that goes into the GOAWAY frame.
 */
final class Http2Exception extends IOException {

  private static final long serialVersionUID = 1L;

  static final int NO_ERROR = 0x0;
  static final int PROTOCOL_ERROR = 0x1;
  static final int INTERNAL_ERROR = 0x2;
  static final int FLOW_CONTROL_ERROR = 0x3;
  static final int SETTINGS_TIMEOUT = 0x4;
  static final int STREAM_CLOSED = 0x5;
  static final int FRAME_SIZE_ERROR = 0x6;
  static final int REFUSED_STREAM = 0x7;
  static final int CANCEL = 0x8;
  static final int COMPRESSION_ERROR = 0x9;
  static final int CONNECT_ERROR = 0xa;
  static final int ENHANCE_YOUR_CALM = 0xb;
  static final int INADEQUATE_SECURITY = 0xc;
  static final int HTTP_1_1_REQUIRED = 0xd;

  private static final String[] NAMES = {
    "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
    "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
    "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
  };

  private final int errorCode;

  Http2Exception(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  int errorCode() {
    return errorCode;
  }

  /** The RFC name of an error code ({@code REFUSED_STREAM}), or its hex value when unknown. */
  static String errorName(long errorCode) {
    return errorCode >= 0 && errorCode < NAMES.length
        ? NAMES[(int) errorCode]
        : "0x" + Long.toHexString(errorCode);
  }
}
