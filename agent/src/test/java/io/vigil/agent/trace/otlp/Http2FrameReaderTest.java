package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import org.junit.jupiter.api.Test;

class Http2FrameReaderTest {

  private static Http2FrameReader reader(String hex, int chunk) {
    return new Http2FrameReader(new ByteArrayDeadlineChannel(Hex.decode(hex), chunk));
  }

  private static long later() {
    return System.nanoTime() + 1_000_000_000L;
  }

  @Test
  void readsFramesArrivingOneOctetAtATime() throws Exception {
    Http2FrameReader reader = reader(
        "000006" + "04" + "00" + "00000000" + "0004" + "00100000"
            + "000008" + "06" + "00" + "00000000" + "0102030405060708",
        1);
    Http2Frame settings = reader.read(true, later());
    assertEquals(Http2Frame.SETTINGS, settings.type);
    assertEquals("000400100000", Hex.encode(settings.payload));
    Http2Frame ping = reader.read(true, later());
    assertEquals(Http2Frame.PING, ping.type);
    assertEquals(0, ping.flags);
    assertEquals("0102030405060708", Hex.encode(ping.payload));
  }

  @Test
  void withoutWaitingAPartialFrameIsNotReturned() throws Exception {
    Http2FrameReader reader = reader("000004" + "08" + "00" + "00000000" + "0000", 100);
    assertNull(reader.read(false, later()));
  }

  @Test
  void paddedDataIsUnpaddedButCountsFullyForFlowControl() throws Exception {
    // PADDED | END_STREAM, pad length 3, data "abcd", 3 octets of padding: 8 octets in all.
    Http2Frame data = reader("000008" + "00" + "09" + "00000001" + "03" + "61626364" + "000000", 4).read(true, later());
    assertEquals("61626364", Hex.encode(data.payload));
    assertEquals(8, data.flowControlLength);
    assertTrue(data.hasFlag(Http2Frame.FLAG_END_STREAM));
  }

  @Test
  void headersWithPaddingPriorityAndContinuationsAreJoined() throws Exception {
    Http2Frame headers = reader(
        // HEADERS: PADDED | PRIORITY | END_STREAM, pad 2, 5 priority octets, "8288", 2 padding
        "00000a" + "01" + "29" + "00000003" + "02" + "0000000010" + "8288" + "0000"
            + "000001" + "09" + "00" + "00000003" + "89" // CONTINUATION
            + "000002" + "09" + "04" + "00000003" + "8a8b", // CONTINUATION, END_HEADERS
        5).read(true, later());
    assertEquals(Http2Frame.HEADERS, headers.type);
    assertEquals(3, headers.streamId);
    assertEquals("8288898a8b", Hex.encode(headers.payload));
    assertTrue(headers.hasFlag(Http2Frame.FLAG_END_STREAM));
    assertTrue(headers.hasFlag(Http2Frame.FLAG_END_HEADERS));
  }

  @Test
  void aHeaderBlockInterruptedByAnotherFrameIsAProtocolError() {
    Http2FrameReader reader = reader(
        "000001" + "01" + "00" + "00000001" + "82" + "000008" + "06" + "00" + "00000000" + "0000000000000000", 100);
    Http2Exception e = assertThrows(Http2Exception.class, () -> reader.read(true, later()));
    assertEquals(Http2Exception.PROTOCOL_ERROR, e.errorCode());
  }

  @Test
  void aStrayContinuationIsAProtocolError() {
    Http2FrameReader reader = reader("000001" + "09" + "04" + "00000001" + "82", 100);
    assertThrows(Http2Exception.class, () -> reader.read(true, later()));
  }

  @Test
  void aFrameAboveTheMaxFrameSizeIsAFrameSizeError() {
    Http2FrameReader reader = reader("004001" + "00" + "00" + "00000001", 100);
    Http2Exception e = assertThrows(Http2Exception.class, () -> reader.read(true, later()));
    assertEquals(Http2Exception.FRAME_SIZE_ERROR, e.errorCode());
  }

  @Test
  void aFrameOfTheMaxFrameSizeIsRead() throws Exception {
    StringBuilder hex = new StringBuilder("004000" + "00" + "00" + "00000001");
    hex.append("ab".repeat(16384));
    Http2Frame data = reader(hex.toString(), 1000).read(true, later());
    assertEquals(16384, data.payload.length);
  }

  @Test
  void paddingLongerThanTheFrameIsAProtocolError() {
    Http2FrameReader reader = reader("000002" + "00" + "08" + "00000001" + "05" + "61", 100);
    assertThrows(Http2Exception.class, () -> reader.read(true, later()));
  }

  @Test
  void pushPromiseIsRefused() {
    Http2FrameReader reader = reader("000004" + "05" + "04" + "00000001" + "00000002", 100);
    assertThrows(Http2Exception.class, () -> reader.read(true, later()));
  }

  @Test
  void endOfStreamIsReported() {
    DeadlineChannel closed = new DeadlineChannel() {
      @Override
      public int read(java.nio.ByteBuffer dst, boolean wait, long deadlineNanos) {
        return -1;
      }

      @Override
      public void write(java.nio.ByteBuffer src, long deadlineNanos) {}

      @Override
      public void close() {}
    };
    assertThrows(EOFException.class, () -> new Http2FrameReader(closed).read(true, later()));
  }
}
