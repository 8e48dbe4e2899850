package io.vigil.agent.trace.otlp;

import static io.vigil.agent.trace.otlp.HpackDecoderTest.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HpackEncoderTest {

  /** RFC 7541 C.1: 10 and 1337 with a 5-bit prefix, 42 with an 8-bit prefix. */
  @ParameterizedTest
  @CsvSource({"5, 10, 0a", "5, 1337, 1f9a0a", "8, 42, 2a", "5, 31, 1f00", "7, 127, 7f00", "7, 128, 7f01"})
  void integersAsInAppendixC1(int prefixBits, int value, String hex) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HpackEncoder.writeInt(out, 0, prefixBits, value);
    assertEquals(hex, Hex.encode(out.toByteArray()));
  }

  @Test
  void firstBlockStartsWithSizeUpdateToZeroThenNoMore() {
    HpackEncoder encoder = new HpackEncoder();
    assertEquals("2083", Hex.encode(encoder.encode(fields(":method", "POST"))));
    assertEquals("83", Hex.encode(encoder.encode(fields(":method", "POST"))));
    encoder.peerTableSizeChanged();
    assertEquals("2083", Hex.encode(encoder.encode(fields(":method", "POST"))));
  }

  @Test
  void usesStaticIndexesAndLiteralsWithoutIndexing() {
    HpackEncoder encoder = new HpackEncoder();
    byte[] block = encoder.encode(fields(
        ":method", "POST",
        ":scheme", "http",
        ":path", "/p",
        "content-type", "application/grpc",
        "te", "trailers"));
    assertEquals(
        "20" // size update 0
            + "83" // :method POST, static 3
            + "86" // :scheme http, static 6
            + "04" + "02" + "2f70" // :path, static name 4, "/p"
            + "0f10" + "10" + Hex.encode("application/grpc".getBytes()) // content-type: name 31 = 15 + 16
            + "00" + "02" + "7465" + "08" + Hex.encode("trailers".getBytes()), // new name "te"
        Hex.encode(block));
  }

  @Test
  void credentialsAreNeverIndexed() {
    HpackEncoder encoder = new HpackEncoder();
    encoder.encode(List.of());
    // authorization is static 23: 0001 1111 then 23 - 15 = 8.
    assertEquals("1f08" + "01" + "78", Hex.encode(encoder.encode(fields("authorization", "x"))));
    // Any other new name: a literal without indexing.
    assertEquals(
        "00" + "01" + "61" + "01" + "62",
        Hex.encode(encoder.encode(fields("a", "b"))));
  }

  @Test
  void decoderReadsWhatEncoderWrites() throws Exception {
    HpackEncoder encoder = new HpackEncoder();
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    String longValue = "v".repeat(300);
    List<HeaderField> headers = fields(
        ":method", "POST",
        ":scheme", "https",
        ":path", "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
        ":authority", "collector:4317",
        "content-type", "application/grpc",
        "te", "trailers",
        "authorization", "Bearer token",
        "x-long", longValue,
        "empty", "");
    for (int i = 0; i < 3; i++) {
      assertEquals(headers, decoder.decode(encoder.encode(headers)));
      assertEquals(0, decoder.dynamicTableLength());
    }
  }
}
