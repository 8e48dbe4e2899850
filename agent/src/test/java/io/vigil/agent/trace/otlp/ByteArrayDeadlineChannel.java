package io.vigil.agent.trace.otlp;

import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** Octets given up front, handed out a few at a time; writes are collected. */
final class ByteArrayDeadlineChannel implements DeadlineChannel {

  private final byte[] input;
  private final int chunk;
  private int position;
  final ByteArrayOutputStream written = new ByteArrayOutputStream();

  ByteArrayDeadlineChannel(byte[] input, int chunk) {
    this.input = input;
    this.chunk = chunk;
  }

  @Override
  public int read(ByteBuffer dst, boolean wait, long deadlineNanos) throws SocketTimeoutException {
    if (position == input.length) {
      if (wait) {
        throw new SocketTimeoutException("no more test input");
      }
      return 0;
    }
    int count = Math.min(Math.min(chunk, dst.remaining()), input.length - position);
    dst.put(input, position, count);
    position += count;
    return count;
  }

  @Override
  public void write(ByteBuffer src, long deadlineNanos) {
    byte[] octets = new byte[src.remaining()];
    src.get(octets);
    written.write(octets, 0, octets.length);
  }

  @Override
  public void close() {}
}
