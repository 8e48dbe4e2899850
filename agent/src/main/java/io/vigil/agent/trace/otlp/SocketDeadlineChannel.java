package io.vigil.agent.trace.otlp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A TCP connection in non-blocking mode with a {@link Selector} of its own, so that connect, read
 * and write each wait on the selector for no longer than the deadline left, on the calling thread.
 */
final class SocketDeadlineChannel implements DeadlineChannel {

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;

  private SocketDeadlineChannel(SocketChannel channel, Selector selector, SelectionKey key) {
    this.channel = channel;
    this.selector = selector;
    this.key = key;
  }

  /** Connects to a resolved address. */
  static SocketDeadlineChannel connect(InetSocketAddress address, long deadlineNanos) throws IOException {
    SocketChannel channel = SocketChannel.open();
    Selector selector = null;
    try {
      channel.configureBlocking(false);
      channel.socket().setTcpNoDelay(true);
      selector = Selector.open();
      SelectionKey key = channel.register(selector, 0);
      SocketDeadlineChannel connection = new SocketDeadlineChannel(channel, selector, key);
      if (!channel.connect(address)) {
        while (!channel.finishConnect()) {
          connection.await(SelectionKey.OP_CONNECT, deadlineNanos, "connecting");
        }
      }
      return connection;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (selector != null) {
        closeQuietly(selector);
      }
      throw e;
    }
  }

  @Override
  public int read(ByteBuffer dst, boolean wait, long deadlineNanos) throws IOException {
    while (true) {
      int read = channel.read(dst);
      if (read != 0 || !wait) {
        return read;
      }
      await(SelectionKey.OP_READ, deadlineNanos, "waiting for the response");
    }
  }

  @Override
  public void write(ByteBuffer src, long deadlineNanos) throws IOException {
    while (src.hasRemaining()) {
      if (channel.write(src) == 0) {
        await(SelectionKey.OP_WRITE, deadlineNanos, "sending the request");
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(selector);
    closeQuietly(channel);
  }

  private void await(int operation, long deadlineNanos, String doing) throws IOException {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw new SocketTimeoutException("deadline passed while " + doing);
    }
    if (Thread.currentThread().isInterrupted()) {
      // The selector would return at once, again and again.
      throw new InterruptedIOException("interrupted while " + doing);
    }
    key.interestOps(operation);
    // select(0) would wait forever: round up to at least one millisecond.
    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999)));
    selector.selectedKeys().clear();
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException | RuntimeException ignored) {
      // Nothing left to release.
    }
  }
}
