package io.vigil.agent.trace.otlp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes client frames (RFC 9113 6) into a buffer that {@link #flush} writes out, so that the
 * frames of one step leave in as few writes as possible.
 */
final class Http2FrameWriter {

  /** RFC 9113 3.4: every client connection starts with these 24 octets. */
  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private byte[] buffer = new byte[Http2Frame.DEFAULT_MAX_FRAME_SIZE + 2 * Http2Frame.HEADER_LENGTH];
  private int count;

  void preface() {
    ensure(PREFACE.length);
    System.arraycopy(PREFACE, 0, buffer, count, PREFACE.length);
    count += PREFACE.length;
  }

  /** A SETTINGS frame from (identifier, value) pairs. */
  void settings(int... identifiersAndValues) {
    frameHeader(identifiersAndValues.length / 2 * 6, Http2Frame.SETTINGS, 0, 0);
    for (int i = 0; i < identifiersAndValues.length; i += 2) {
      int16(identifiersAndValues[i]);
      int32(identifiersAndValues[i + 1]);
    }
  }

  void settingsAck() {
    frameHeader(0, Http2Frame.SETTINGS, Http2Frame.FLAG_ACK, 0);
  }

  /** HEADERS, followed by CONTINUATION frames when the block exceeds {@code maxFrameSize}. */
  void headers(int streamId, byte[] block, boolean endStream, int maxFrameSize) {
    int first = Math.min(block.length, maxFrameSize);
    int flags = (endStream ? Http2Frame.FLAG_END_STREAM : 0)
        | (first == block.length ? Http2Frame.FLAG_END_HEADERS : 0);
    frameHeader(first, Http2Frame.HEADERS, flags, streamId);
    bytes(block, 0, first);
    for (int offset = first; offset < block.length; ) {
      int length = Math.min(block.length - offset, maxFrameSize);
      boolean last = offset + length == block.length;
      frameHeader(length, Http2Frame.CONTINUATION, last ? Http2Frame.FLAG_END_HEADERS : 0, streamId);
      bytes(block, offset, length);
      offset += length;
    }
  }

  /** One DATA frame; the caller keeps {@code length} within the peer's frame size and windows. */
  void data(int streamId, byte[] src, int offset, int length, boolean endStream) {
    frameHeader(length, Http2Frame.DATA, endStream ? Http2Frame.FLAG_END_STREAM : 0, streamId);
    bytes(src, offset, length);
  }

  void windowUpdate(int streamId, int increment) {
    frameHeader(4, Http2Frame.WINDOW_UPDATE, 0, streamId);
    int32(increment);
  }

  void pingAck(byte[] opaqueData) {
    frameHeader(8, Http2Frame.PING, Http2Frame.FLAG_ACK, 0);
    bytes(opaqueData, 0, 8);
  }

  void rstStream(int streamId, int errorCode) {
    frameHeader(4, Http2Frame.RST_STREAM, 0, streamId);
    int32(errorCode);
  }

  void goAway(int lastStreamId, int errorCode) {
    frameHeader(8, Http2Frame.GOAWAY, 0, 0);
    int32(lastStreamId);
    int32(errorCode);
  }

  /** Octets waiting to be flushed. */
  int pending() {
    return count;
  }

  /** The octets waiting to be flushed (for tests). */
  byte[] pendingBytes() {
    byte[] copy = new byte[count];
    System.arraycopy(buffer, 0, copy, 0, count);
    return copy;
  }

  void flush(DeadlineChannel channel, long deadlineNanos) throws IOException {
    if (count == 0) {
      return;
    }
    // Cleared before writing: after a failed write the connection is closed, never flushed again.
    int length = count;
    count = 0;
    channel.write(ByteBuffer.wrap(buffer, 0, length), deadlineNanos);
  }

  private void frameHeader(int length, int type, int flags, int streamId) {
    ensure(Http2Frame.HEADER_LENGTH + length);
    buffer[count++] = (byte) (length >>> 16);
    buffer[count++] = (byte) (length >>> 8);
    buffer[count++] = (byte) length;
    buffer[count++] = (byte) type;
    buffer[count++] = (byte) flags;
    int32(streamId & Integer.MAX_VALUE);
  }

  private void int16(int value) {
    buffer[count++] = (byte) (value >>> 8);
    buffer[count++] = (byte) value;
  }

  private void int32(int value) {
    buffer[count++] = (byte) (value >>> 24);
    buffer[count++] = (byte) (value >>> 16);
    buffer[count++] = (byte) (value >>> 8);
    buffer[count++] = (byte) value;
  }

  private void bytes(byte[] src, int offset, int length) {
    System.arraycopy(src, offset, buffer, count, length);
    count += length;
  }

  private void ensure(int more) {
    if (count + more > buffer.length) {
      byte[] bigger = new byte[Math.max(buffer.length * 2, count + more)];
      System.arraycopy(buffer, 0, bigger, 0, count);
      buffer = bigger;
    }
  }
}
