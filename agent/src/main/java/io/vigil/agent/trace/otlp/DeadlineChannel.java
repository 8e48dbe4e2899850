package io.vigil.agent.trace.otlp;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A byte stream whose every operation ends by a deadline ({@link System#nanoTime()} based):
 * reads and writes that cannot complete in time throw {@link java.net.SocketTimeoutException}.
 * This is what lets a call keep its hard timeout without a watchdog thread: a blocking {@code
 * Socket} bounds reads by SO_TIMEOUT but has no bound at all for a write to a peer that stopped
 * reading.
 */
interface DeadlineChannel extends Closeable {

  /**
   * Reads into {@code dst}, which must have room.
   *
   * @param wait whether to wait for data (until the deadline) or take only what has arrived
   * @return octets read, 0 only when not waiting and nothing had arrived, -1 at end of stream
   */
  int read(ByteBuffer dst, boolean wait, long deadlineNanos) throws IOException;

  /** Writes all of {@code src}. */
  void write(ByteBuffer src, long deadlineNanos) throws IOException;

  /** Closes without waiting and without throwing. */
  @Override
  void close();
}
