package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Exact octets of each frame (RFC 9113 4.1, 6). */
class Http2FrameWriterTest {

  private final Http2FrameWriter writer = new Http2FrameWriter();

  @Test
  void preface() {
    writer.preface();
    assertEquals(
        Hex.encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
        Hex.encode(writer.pendingBytes()));
    assertEquals(24, writer.pending());
  }

  @Test
  void settingsAndAck() {
    writer.settings(Http2Frame.SETTINGS_ENABLE_PUSH, 0, Http2Frame.SETTINGS_MAX_HEADER_LIST_SIZE, 65536);
    writer.settingsAck();
    assertEquals(
        "00000c" + "04" + "00" + "00000000" + "0002" + "00000000" + "0006" + "00010000"
            + "000000" + "04" + "01" + "00000000",
        Hex.encode(writer.pendingBytes()));
  }

  @Test
  void headersInOneFrame() {
    writer.headers(1, Hex.decode("8386"), false, 16384);
    assertEquals("000002" + "01" + "04" + "00000001" + "8386", Hex.encode(writer.pendingBytes()));
  }

  @Test
  void headersWithEndStream() {
    writer.headers(3, Hex.decode("82"), true, 16384);
    assertEquals("000001" + "01" + "05" + "00000003" + "82", Hex.encode(writer.pendingBytes()));
  }

  @Test
  void headersSplitIntoContinuationFrames() {
    writer.headers(5, Hex.decode("0102030405"), true, 2);
    assertEquals(
        "000002" + "01" + "01" + "00000005" + "0102" // HEADERS, END_STREAM, no END_HEADERS
            + "000002" + "09" + "00" + "00000005" + "0304" // CONTINUATION
            + "000001" + "09" + "04" + "00000005" + "05", // CONTINUATION, END_HEADERS
        Hex.encode(writer.pendingBytes()));
  }

  @Test
  void dataFrames() {
    byte[] body = Hex.decode("aabbccdd");
    writer.data(7, body, 1, 2, false);
    writer.data(7, body, 3, 1, true);
    writer.data(7, body, 0, 0, true);
    assertEquals(
        "000002" + "00" + "00" + "00000007" + "bbcc"
            + "000001" + "00" + "01" + "00000007" + "dd"
            + "000000" + "00" + "01" + "00000007",
        Hex.encode(writer.pendingBytes()));
  }

  @Test
  void controlFrames() {
    writer.windowUpdate(0, 0x7fffffff);
    writer.windowUpdate(9, 32768);
    writer.pingAck(Hex.decode("0102030405060708"));
    writer.rstStream(9, Http2Exception.CANCEL);
    writer.goAway(0, Http2Exception.PROTOCOL_ERROR);
    assertEquals(
        "000004" + "08" + "00" + "00000000" + "7fffffff"
            + "000004" + "08" + "00" + "00000009" + "00008000"
            + "000008" + "06" + "01" + "00000000" + "0102030405060708"
            + "000004" + "03" + "00" + "00000009" + "00000008"
            + "000008" + "07" + "00" + "00000000" + "00000000" + "00000001",
        Hex.encode(writer.pendingBytes()));
  }

  @Test
  void largeFramesGrowTheBufferAndFlushEmptiesIt() throws Exception {
    byte[] body = new byte[100_000];
    for (int offset = 0; offset < body.length; offset += 16384) {
      int length = Math.min(16384, body.length - offset);
      writer.data(1, body, offset, length, offset + length == body.length);
    }
    assertEquals(100_000 + 7 * 9, writer.pending());
    ByteArrayDeadlineChannel channel = new ByteArrayDeadlineChannel(new byte[0], 1);
    writer.flush(channel, System.nanoTime());
    assertEquals(0, writer.pending());
    assertEquals(100_000 + 7 * 9, channel.written.size());
  }
}
