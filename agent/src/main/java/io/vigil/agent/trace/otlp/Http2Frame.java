package io.vigil.agent.trace.otlp;

/**
 * One HTTP/2 frame as the reader hands it on (RFC 9113 4, 6), and the wire constants. HEADERS
 * frames arrive with their CONTINUATION frames joined and their padding and priority fields
 * removed; DATA frames without padding, but with the full length that flow control counts.
 */
final class Http2Frame {

  static final int HEADER_LENGTH = 9;
  /** The smallest SETTINGS_MAX_FRAME_SIZE and the default of both sides. */
  static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
  static final int MAX_MAX_FRAME_SIZE = 16_777_215;
  static final int DEFAULT_WINDOW_SIZE = 65_535;
  static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;

  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int PRIORITY = 0x2;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PUSH_PROMISE = 0x5;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;

  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;

  static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
  static final int SETTINGS_ENABLE_PUSH = 0x2;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
  static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
  static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
  static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

  final int type;
  final int flags;
  final int streamId;
  final byte[] payload;
  /** Octets this frame counts against flow-control windows: its whole payload, padding included. */
  final int flowControlLength;

  Http2Frame(int type, int flags, int streamId, byte[] payload, int flowControlLength) {
    this.type = type;
    this.flags = flags;
    this.streamId = streamId;
    this.payload = payload;
    this.flowControlLength = flowControlLength;
  }

  boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  /** Big-endian unsigned 32-bit value at {@code offset} of the payload. */
  long uint32(int offset) {
    return ((payload[offset] & 0xffL) << 24)
        | ((payload[offset + 1] & 0xffL) << 16)
        | ((payload[offset + 2] & 0xffL) << 8)
        | (payload[offset + 3] & 0xffL);
  }
}
