package io.vigil.agent.trace.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The client side of one HTTP/2 connection (RFC 9113) that carries one request at a time: enough
 * for a unary gRPC client driven by a single thread, with no thread of its own.
 *
 * <p>It speaks prior-knowledge HTTP/2: the preface and SETTINGS go out first, and the server's
 * SETTINGS are applied and acknowledged whenever they arrive. Request bodies are cut into DATA
 * frames no larger than the server's SETTINGS_MAX_FRAME_SIZE (nor 64 KiB) and sent only as far as
 * the connection and stream flow-control windows allow; beyond that it reads, waiting for
 * WINDOW_UPDATE. Received DATA is given back with WINDOW_UPDATE once half a window is used. PINGs
 * are answered; GOAWAY stops new streams; RST_STREAM ends the stream. Every wait keeps the
 * caller's deadline.
 *
 * <p>Any I/O or protocol error closes the connection; the caller then opens a new one.
 */
final class Http2Connection {

  /** This side's SETTINGS_MAX_HEADER_LIST_SIZE. */
  static final int MAX_HEADER_LIST_SIZE = 64 * 1024;
  /** The most response body kept; a gRPC export answer is a few octets. */
  static final int MAX_RESPONSE_BODY = 4 * 1024 * 1024;

  /** This side's receive windows stay at the default; they are refilled at half. */
  private static final int RECEIVE_WINDOW = Http2Frame.DEFAULT_WINDOW_SIZE;
  private static final int FLUSH_THRESHOLD = 64 * 1024;
  /** DATA frames stay this small even when the peer allows up to 16 MiB: bounds the write buffer. */
  private static final int MAX_DATA_FRAME = 64 * 1024;
  private static final int HEADER_TABLE_SIZE = 4096;

  private final DeadlineChannel channel;
  private final Http2FrameReader reader;
  private final Http2FrameWriter writer = new Http2FrameWriter();
  private final HpackEncoder encoder = new HpackEncoder();
  private final HpackDecoder decoder = new HpackDecoder(HEADER_TABLE_SIZE, MAX_HEADER_LIST_SIZE);

  private int peerMaxFrameSize = Http2Frame.DEFAULT_MAX_FRAME_SIZE;
  private int peerInitialWindowSize = Http2Frame.DEFAULT_WINDOW_SIZE;
  private long connectionSendWindow = Http2Frame.DEFAULT_WINDOW_SIZE;
  private int connectionUnacknowledged;
  private int nextStreamId = 1;
  private boolean goAwayReceived;
  private boolean closed;
  /** The one open stream, or null between exchanges. */
  private Stream stream;

  private Http2Connection(DeadlineChannel channel) {
    this.channel = channel;
    this.reader = new Http2FrameReader(channel);
  }

  /**
   * Starts HTTP/2 on a connected channel. The preface and SETTINGS leave together with the first
   * request; prior knowledge needs no answer before that.
   */
  static Http2Connection start(DeadlineChannel channel) {
    Http2Connection connection = new Http2Connection(channel);
    connection.writer.preface();
    connection.writer.settings(
        Http2Frame.SETTINGS_ENABLE_PUSH, 0,
        Http2Frame.SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_SIZE);
    return connection;
  }

  /**
   * Whether a new request may go out on this connection: it is open, the server has not sent
   * GOAWAY and stream ids are left. Processes what the server sent since the last exchange (a
   * GOAWAY, a close, PINGs) without waiting for more.
   */
  boolean isReusable(long deadlineNanos) {
    if (closed || goAwayReceived || nextStreamId <= 0) {
      return false;
    }
    try {
      handleArrived(deadlineNanos);
      writer.flush(channel, deadlineNanos);
    } catch (IOException | RuntimeException e) {
      abort(e);
      return false;
    }
    return !goAwayReceived;
  }

  /**
   * Sends one request and reads its response.
   *
   * @param headers pseudo-header fields first, names in lower case
   * @throws IOException on I/O errors, timeouts and protocol errors; the connection is closed then
   */
  Http2Response exchange(List<HeaderField> headers, byte[] body, long deadlineNanos) throws IOException {
    if (closed) {
      throw new IOException("HTTP/2 connection is closed");
    }
    Stream current = new Stream(nextStreamId, peerInitialWindowSize);
    nextStreamId += 2;
    stream = current;
    try {
      writer.headers(current.id, encoder.encode(headers), body.length == 0, peerMaxFrameSize);
      current.localEnded = body.length == 0;
      sendBody(current, body, deadlineNanos);
      writer.flush(channel, deadlineNanos);
      while (!current.finished()) {
        awaitFrame(deadlineNanos);
      }
      if (!current.localEnded && current.resetCode < 0) {
        // The server answered before it took the whole request (RFC 9113 8.1): stop the stream.
        writer.rstStream(current.id, Http2Exception.CANCEL);
      }
      // Also sends what the last frames asked for (a WINDOW_UPDATE, a PING ACK).
      writer.flush(channel, deadlineNanos);
      return current.response();
    } catch (IOException | RuntimeException e) {
      abort(e);
      throw e;
    } finally {
      stream = null;
    }
  }

  /** Sends GOAWAY and closes, spending at most until the deadline on it. */
  void close(long deadlineNanos) {
    if (closed) {
      return;
    }
    try {
      writer.goAway(0, Http2Exception.NO_ERROR);
      writer.flush(channel, deadlineNanos);
    } catch (IOException | RuntimeException ignored) {
      // Closing anyway.
    }
    closed = true;
    channel.close();
  }

  boolean isClosed() {
    return closed;
  }

  private void sendBody(Stream current, byte[] body, long deadlineNanos) throws IOException {
    int sent = 0;
    while (!current.localEnded && !current.finished()) {
      long window = Math.min(connectionSendWindow, current.sendWindow);
      if (window <= 0) {
        awaitFrame(deadlineNanos);
        continue;
      }
      long room = Math.min(window, Math.min(peerMaxFrameSize, MAX_DATA_FRAME));
      int length = (int) Math.min(body.length - sent, room);
      boolean last = sent + length == body.length;
      writer.data(current.id, body, sent, length, last);
      sent += length;
      connectionSendWindow -= length;
      current.sendWindow -= length;
      current.localEnded = last;
      if (writer.pending() >= FLUSH_THRESHOLD) {
        writer.flush(channel, deadlineNanos);
        // Take in what has arrived meanwhile: SETTINGS, PING, or an early answer.
        handleArrived(deadlineNanos);
      }
    }
  }

  /** Flushes what is pending, then waits for one frame and handles it. */
  private void awaitFrame(long deadlineNanos) throws IOException {
    writer.flush(channel, deadlineNanos);
    handle(reader.read(true, deadlineNanos));
  }

  /** Handles the frames that have arrived, without waiting for more. */
  private void handleArrived(long deadlineNanos) throws IOException {
    Http2Frame frame;
    while ((frame = reader.read(false, deadlineNanos)) != null) {
      handle(frame);
    }
  }

  /** Closes after an error; a protocol error of the peer is named in a GOAWAY first. */
  private void abort(Exception cause) {
    if (closed) {
      return;
    }
    if (cause instanceof Http2Exception) {
      // Frames are only parsed between complete writes, so a GOAWAY cannot cut into another frame.
      try {
        writer.goAway(0, ((Http2Exception) cause).errorCode());
        writer.flush(channel, System.nanoTime());
      } catch (IOException | RuntimeException ignored) {
        // Closing anyway.
      }
    }
    closed = true;
    channel.close();
  }

  private void handle(Http2Frame frame) throws IOException {
    switch (frame.type) {
      case Http2Frame.DATA:
        onData(frame);
        break;
      case Http2Frame.HEADERS:
        onHeaders(frame);
        break;
      case Http2Frame.RST_STREAM:
        onRstStream(frame);
        break;
      case Http2Frame.SETTINGS:
        onSettings(frame);
        break;
      case Http2Frame.PING:
        onPing(frame);
        break;
      case Http2Frame.GOAWAY:
        onGoAway(frame);
        break;
      case Http2Frame.WINDOW_UPDATE:
        onWindowUpdate(frame);
        break;
      default:
        // PRIORITY and frame types this side does not know are ignored (RFC 9113 5.5).
        break;
    }
  }

  private void onData(Http2Frame frame) throws IOException {
    if (frame.streamId == 0) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "DATA on stream 0");
    }
    // Every DATA frame counts against the connection window, even one for a stream left behind.
    connectionUnacknowledged += frame.flowControlLength;
    if (connectionUnacknowledged > RECEIVE_WINDOW) {
      throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "peer overran the connection window");
    }
    if (connectionUnacknowledged >= RECEIVE_WINDOW / 2) {
      writer.windowUpdate(0, connectionUnacknowledged);
      connectionUnacknowledged = 0;
    }
    Stream current = stream;
    if (current == null || frame.streamId != current.id || current.remoteEnded) {
      return;
    }
    if (current.body.size() + frame.payload.length > MAX_RESPONSE_BODY) {
      throw new IOException("response body larger than " + MAX_RESPONSE_BODY + " octets");
    }
    current.body.write(frame.payload, 0, frame.payload.length);
    if (frame.hasFlag(Http2Frame.FLAG_END_STREAM)) {
      current.remoteEnded = true;
      return;
    }
    current.unacknowledged += frame.flowControlLength;
    if (current.unacknowledged > RECEIVE_WINDOW) {
      throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "peer overran the stream window");
    }
    if (current.unacknowledged >= RECEIVE_WINDOW / 2) {
      writer.windowUpdate(current.id, current.unacknowledged);
      current.unacknowledged = 0;
    }
  }

  private void onHeaders(Http2Frame frame) throws IOException {
    // Decoded whatever the stream: the HPACK table must see every block, in order.
    List<HeaderField> fields = decoder.decode(frame.payload);
    Stream current = stream;
    if (current == null || frame.streamId != current.id || current.remoteEnded) {
      return;
    }
    boolean endStream = frame.hasFlag(Http2Frame.FLAG_END_STREAM);
    if (current.headers == null) {
      if (!endStream && isInformational(fields)) {
        return;
      }
      current.headers = fields;
    } else if (endStream) {
      current.trailers = fields;
    } else {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "trailers without END_STREAM");
    }
    current.remoteEnded |= endStream;
  }

  /** A 1xx response is an interim one; the real header block follows (RFC 9113 8.1). */
  private static boolean isInformational(List<HeaderField> fields) {
    for (HeaderField field : fields) {
      if (field.name.equals(":status")) {
        return field.value.length() == 3 && field.value.charAt(0) == '1';
      }
    }
    return false;
  }

  private void onRstStream(Http2Frame frame) throws IOException {
    requireLength(frame, 4);
    if (frame.streamId == 0) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "RST_STREAM on stream 0");
    }
    Stream current = stream;
    if (current != null && frame.streamId == current.id) {
      current.resetCode = frame.uint32(0);
      current.unprocessed |= current.resetCode == Http2Exception.REFUSED_STREAM;
    }
  }

  private void onSettings(Http2Frame frame) throws IOException {
    if (frame.streamId != 0) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "SETTINGS on a stream");
    }
    if (frame.hasFlag(Http2Frame.FLAG_ACK)) {
      requireLength(frame, 0);
      return;
    }
    if (frame.payload.length % 6 != 0) {
      throw new Http2Exception(Http2Exception.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
    }
    for (int offset = 0; offset < frame.payload.length; offset += 6) {
      int identifier = ((frame.payload[offset] & 0xff) << 8) | (frame.payload[offset + 1] & 0xff);
      long value = frame.uint32(offset + 2);
      applySetting(identifier, value);
    }
    writer.settingsAck();
  }

  private void applySetting(int identifier, long value) throws Http2Exception {
    switch (identifier) {
      case Http2Frame.SETTINGS_HEADER_TABLE_SIZE:
        encoder.peerTableSizeChanged();
        break;
      case Http2Frame.SETTINGS_ENABLE_PUSH:
        if (value > 1) {
          throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH of " + value);
        }
        break;
      case Http2Frame.SETTINGS_INITIAL_WINDOW_SIZE:
        if (value > Http2Frame.MAX_WINDOW_SIZE) {
          throw new Http2Exception(
              Http2Exception.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE of " + value);
        }
        // RFC 9113 6.9.2: the change applies to open streams too, and may take them below zero.
        long delta = value - peerInitialWindowSize;
        peerInitialWindowSize = (int) value;
        if (stream != null) {
          stream.sendWindow += delta;
          if (stream.sendWindow > Http2Frame.MAX_WINDOW_SIZE) {
            throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "stream window above 2^31-1");
          }
        }
        break;
      case Http2Frame.SETTINGS_MAX_FRAME_SIZE:
        if (value < Http2Frame.DEFAULT_MAX_FRAME_SIZE || value > Http2Frame.MAX_MAX_FRAME_SIZE) {
          throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE of " + value);
        }
        peerMaxFrameSize = (int) value;
        break;
      default:
        // MAX_CONCURRENT_STREAMS (one stream is always within it), MAX_HEADER_LIST_SIZE (the
        // request's few headers are far below any real limit), and settings unknown here.
        break;
    }
  }

  private void onPing(Http2Frame frame) throws IOException {
    if (frame.streamId != 0) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "PING on a stream");
    }
    requireLength(frame, 8);
    if (!frame.hasFlag(Http2Frame.FLAG_ACK)) {
      writer.pingAck(frame.payload);
    }
  }

  private void onGoAway(Http2Frame frame) throws IOException {
    if (frame.streamId != 0) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "GOAWAY on a stream");
    }
    if (frame.payload.length < 8) {
      throw new Http2Exception(Http2Exception.FRAME_SIZE_ERROR, "GOAWAY shorter than 8 octets");
    }
    goAwayReceived = true;
    long lastStreamId = frame.uint32(0) & Integer.MAX_VALUE;
    Stream current = stream;
    if (current != null && current.id > lastStreamId) {
      // RFC 9113 6.8: streams above the last id were not and will not be processed.
      current.unprocessed = true;
    }
  }

  private void onWindowUpdate(Http2Frame frame) throws IOException {
    requireLength(frame, 4);
    long increment = frame.uint32(0) & Integer.MAX_VALUE;
    if (increment == 0) {
      throw new Http2Exception(Http2Exception.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
    }
    if (frame.streamId == 0) {
      connectionSendWindow += increment;
      if (connectionSendWindow > Http2Frame.MAX_WINDOW_SIZE) {
        throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "connection window above 2^31-1");
      }
      return;
    }
    Stream current = stream;
    if (current != null && frame.streamId == current.id) {
      current.sendWindow += increment;
      if (current.sendWindow > Http2Frame.MAX_WINDOW_SIZE) {
        throw new Http2Exception(Http2Exception.FLOW_CONTROL_ERROR, "stream window above 2^31-1");
      }
    }
  }

  private static void requireLength(Http2Frame frame, int length) throws Http2Exception {
    if (frame.payload.length != length) {
      throw new Http2Exception(
          Http2Exception.FRAME_SIZE_ERROR,
          "frame of type " + frame.type + " has " + frame.payload.length + " octets, not " + length);
    }
  }

  /** The state of the one stream in flight. */
  private static final class Stream {
    final int id;
    long sendWindow;
    int unacknowledged;
    boolean localEnded;
    boolean remoteEnded;
    long resetCode = -1;
    boolean unprocessed;
    List<HeaderField> headers;
    List<HeaderField> trailers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Stream(int id, int initialWindowSize) {
      this.id = id;
      this.sendWindow = initialWindowSize;
    }

    boolean finished() {
      return remoteEnded || resetCode >= 0 || unprocessed;
    }

    Http2Response response() {
      return new Http2Response(
          headers,
          trailers,
          body.toByteArray(),
          remoteEnded,
          remoteEnded ? -1 : resetCode,
          unprocessed && !remoteEnded);
    }
  }
}
