package io.vigil.agent.trace.otlp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads frames from a {@link DeadlineChannel} (RFC 9113 4.1). Joins a HEADERS frame and its
 * CONTINUATION frames into one, strips padding and priority fields, and rejects frames larger than
 * this side's SETTINGS_MAX_FRAME_SIZE, which stays at the default 16384.
 */
final class Http2FrameReader {

  /** The most header block octets accepted across one HEADERS frame and its CONTINUATIONs. */
  static final int MAX_HEADER_BLOCK = 256 * 1024;

  private final DeadlineChannel channel;
  /** Always in fill mode: octets 0 to position() have arrived and not yet been taken. */
  private final ByteBuffer in =
      ByteBuffer.allocate(Http2Frame.HEADER_LENGTH + Http2Frame.DEFAULT_MAX_FRAME_SIZE);

  Http2FrameReader(DeadlineChannel channel) {
    this.channel = channel;
  }

  /**
   * The next frame, or null when not waiting and no whole frame has arrived yet. Once a header
   * block has started, its CONTINUATION frames are always waited for (they follow at once).
   *
   * @throws EOFException when the peer closed the connection
   * @throws Http2Exception when the peer broke the framing rules
   */
  Http2Frame read(boolean wait, long deadlineNanos) throws IOException {
    Http2Frame frame = readRaw(wait, deadlineNanos);
    if (frame == null) {
      return null;
    }
    switch (frame.type) {
      case Http2Frame.DATA:
        return new Http2Frame(frame.type, frame.flags, frame.streamId, unpad(frame), frame.flowControlLength);
      case Http2Frame.HEADERS:
        return readHeaderBlock(frame, deadlineNanos);
      case Http2Frame.PUSH_PROMISE:
        // Refused by SETTINGS_ENABLE_PUSH=0, and so a connection error (RFC 9113 8.4).
        throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "PUSH_PROMISE although push is disabled");
      case Http2Frame.CONTINUATION:
        throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
      default:
        return frame;
    }
  }

  private Http2Frame readHeaderBlock(Http2Frame headers, long deadlineNanos) throws IOException {
    if (headers.streamId == 0) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "HEADERS on stream 0");
    }
    byte[] block = unpad(headers);
    if (headers.hasFlag(Http2Frame.FLAG_PRIORITY)) {
      if (block.length < 5) {
        throw new Http2Exception(
            Http2Exception.FRAME_SIZE_ERROR, "HEADERS too short for its priority fields");
      }
      block = slice(block, 5, block.length - 5);
    }
    boolean endHeaders = headers.hasFlag(Http2Frame.FLAG_END_HEADERS);
    while (!endHeaders) {
      Http2Frame next = readRaw(true, deadlineNanos);
      if (next.type != Http2Frame.CONTINUATION || next.streamId != headers.streamId) {
        throw new Http2Exception(
            Http2Exception.PROTOCOL_ERROR, "header block interrupted by a frame of type " + next.type);
      }
      if (block.length + next.payload.length > MAX_HEADER_BLOCK) {
        throw new Http2Exception(
            Http2Exception.ENHANCE_YOUR_CALM, "header block larger than " + MAX_HEADER_BLOCK + " octets");
      }
      byte[] joined = new byte[block.length + next.payload.length];
      System.arraycopy(block, 0, joined, 0, block.length);
      System.arraycopy(next.payload, 0, joined, block.length, next.payload.length);
      block = joined;
      endHeaders = next.hasFlag(Http2Frame.FLAG_END_HEADERS);
    }
    int flags = (headers.flags & Http2Frame.FLAG_END_STREAM) | Http2Frame.FLAG_END_HEADERS;
    return new Http2Frame(Http2Frame.HEADERS, flags, headers.streamId, block, 0);
  }

  /** The payload without the pad length octet and the padding (RFC 9113 6.1, 6.2). */
  private static byte[] unpad(Http2Frame frame) throws Http2Exception {
    if (!frame.hasFlag(Http2Frame.FLAG_PADDED)) {
      return frame.payload;
    }
    if (frame.payload.length < 1) {
      throw new Http2Exception(Http2Exception.FRAME_SIZE_ERROR, "padded frame without pad length");
    }
    int padLength = frame.payload[0] & 0xff;
    if (padLength >= frame.payload.length) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "padding longer than the frame");
    }
    return slice(frame.payload, 1, frame.payload.length - 1 - padLength);
  }

  private static byte[] slice(byte[] src, int offset, int length) {
    byte[] copy = new byte[length];
    System.arraycopy(src, offset, copy, 0, length);
    return copy;
  }

  private Http2Frame readRaw(boolean wait, long deadlineNanos) throws IOException {
    while (true) {
      int available = in.position();
      if (available >= Http2Frame.HEADER_LENGTH) {
        int length = ((in.get(0) & 0xff) << 16) | ((in.get(1) & 0xff) << 8) | (in.get(2) & 0xff);
        if (length > Http2Frame.DEFAULT_MAX_FRAME_SIZE) {
          throw new Http2Exception(
              Http2Exception.FRAME_SIZE_ERROR,
              "frame of " + length + " octets exceeds " + Http2Frame.DEFAULT_MAX_FRAME_SIZE);
        }
        if (available >= Http2Frame.HEADER_LENGTH + length) {
          return take(length);
        }
      }
      int read = channel.read(in, wait, deadlineNanos);
      if (read < 0) {
        throw new EOFException("connection closed by the peer");
      }
      if (read == 0) {
        return null;
      }
    }
  }

  private Http2Frame take(int length) {
    int type = in.get(3) & 0xff;
    int flags = in.get(4) & 0xff;
    int streamId = in.getInt(5) & Integer.MAX_VALUE;
    byte[] payload = new byte[length];
    in.flip();
    in.position(Http2Frame.HEADER_LENGTH);
    in.get(payload);
    in.compact();
    return new Http2Frame(type, flags, streamId, payload, length);
  }
}
