package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7541 Appendix C, decoded step by step with the dynamic table checked after each block. */
class HpackDecoderTest {

  private static final String DATE_21 = "Mon, 21 Oct 2013 20:13:21 GMT";
  private static final String DATE_22 = "Mon, 21 Oct 2013 20:13:22 GMT";
  private static final String LOCATION = "https://www.example.com";
  private static final String COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

  @Test
  void c21LiteralWithIndexing() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertEquals(
        fields("custom-key", "custom-header"),
        decoder.decode(Hex.decode("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")));
    assertTable(decoder, 55, "custom-key", "custom-header");
  }

  @Test
  void c22LiteralWithoutIndexing() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertEquals(fields(":path", "/sample/path"), decoder.decode(Hex.decode("040c 2f73 616d 706c 652f 7061 7468")));
    assertTable(decoder, 0);
  }

  @Test
  void c23LiteralNeverIndexed() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertEquals(fields("password", "secret"), decoder.decode(Hex.decode("1008 7061 7373 776f 7264 0673 6563 7265 74")));
    assertTable(decoder, 0);
  }

  @Test
  void c24Indexed() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertEquals(fields(":method", "GET"), decoder.decode(Hex.decode("82")));
    assertTable(decoder, 0);
  }

  @Test
  void c3RequestsWithoutHuffman() throws Exception {
    requests(
        new HpackDecoder(4096, 65536),
        "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "8286 84be 5808 6e6f 2d63 6163 6865",
        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65");
  }

  @Test
  void c4RequestsWithHuffman() throws Exception {
    requests(
        new HpackDecoder(4096, 65536),
        "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf");
  }

  private static void requests(HpackDecoder decoder, String first, String second, String third) throws Exception {
    assertEquals(
        fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com"),
        decoder.decode(Hex.decode(first)));
    assertTable(decoder, 57, ":authority", "www.example.com");

    assertEquals(
        fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
            "cache-control", "no-cache"),
        decoder.decode(Hex.decode(second)));
    assertTable(decoder, 110, "cache-control", "no-cache", ":authority", "www.example.com");

    assertEquals(
        fields(":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority", "www.example.com",
            "custom-key", "custom-value"),
        decoder.decode(Hex.decode(third)));
    assertTable(decoder, 164,
        "custom-key", "custom-value", "cache-control", "no-cache", ":authority", "www.example.com");
  }

  @Test
  void c5ResponsesWithoutHuffman() throws Exception {
    responses(
        new HpackDecoder(256, 65536),
        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
            + "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70"
            + "6c65 2e63 6f6d",
        "4803 3330 37c1 c0bf",
        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d"
            + "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049"
            + "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e"
            + "3d31");
  }

  @Test
  void c6ResponsesWithHuffman() throws Exception {
    responses(
        new HpackDecoder(256, 65536),
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
            + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
        "4883 640e ffc1 c0bf",
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab"
            + "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
            + "9587 3160 65c0 03ed 4ee5 b106 3d50 07");
  }

  /** The table of 256 octets makes C.5 and C.6 evict entries. */
  private static void responses(HpackDecoder decoder, String first, String second, String third) throws Exception {
    assertEquals(
        fields(":status", "302", "cache-control", "private", "date", DATE_21, "location", LOCATION),
        decoder.decode(Hex.decode(first)));
    assertTable(decoder, 222,
        "location", LOCATION, "date", DATE_21, "cache-control", "private", ":status", "302");

    assertEquals(
        fields(":status", "307", "cache-control", "private", "date", DATE_21, "location", LOCATION),
        decoder.decode(Hex.decode(second)));
    assertTable(decoder, 222,
        ":status", "307", "location", LOCATION, "date", DATE_21, "cache-control", "private");

    assertEquals(
        fields(":status", "200", "cache-control", "private", "date", DATE_22, "location", LOCATION,
            "content-encoding", "gzip", "set-cookie", COOKIE),
        decoder.decode(Hex.decode(third)));
    assertTable(decoder, 215, "set-cookie", COOKIE, "content-encoding", "gzip", "date", DATE_22);
  }

  @Test
  void sizeUpdateEvictsAndLaterFieldsIndexAgain() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    decoder.decode(Hex.decode("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    assertTable(decoder, 55, "custom-key", "custom-header");
    // 0x20: size update to 0 empties the table; then 0x3f e1 1f: back to 4096 (31 + 4065).
    assertEquals(List.of(), decoder.decode(Hex.decode("20 3fe1 1f")));
    assertTable(decoder, 0);
    decoder.decode(Hex.decode("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    assertTable(decoder, 55, "custom-key", "custom-header");
  }

  @Test
  void rejectsSizeUpdateAboveTheAnnouncedLimit() {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    // 0x3f e2 1f = 4097
    Http2Exception e = assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("3fe2 1f")));
    assertEquals(Http2Exception.COMPRESSION_ERROR, e.errorCode());
  }

  @Test
  void rejectsSizeUpdateAfterAField() {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("82 20")));
  }

  @Test
  void rejectsIndexZeroAndIndexBeyondTheTables() {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("80")));
    assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("be")));
  }

  @Test
  void rejectsTruncatedBlocks() {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("400a 6375")));
    assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("ff")));
    assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("40")));
  }

  @Test
  void rejectsIntegersBeyond31Bits() {
    HpackDecoder decoder = new HpackDecoder(4096, 65536);
    assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode("ff ffff ffff 0f")));
  }

  @Test
  void rejectsHeaderListsAboveTheLimit() {
    HpackDecoder decoder = new HpackDecoder(4096, 60);
    // custom-key: custom-header is 55; twice is 110.
    String field = "000a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572";
    Http2Exception e = assertThrows(Http2Exception.class, () -> decoder.decode(Hex.decode(field + field)));
    assertEquals(Http2Exception.PROTOCOL_ERROR, e.errorCode());
  }

  @Test
  void entryLargerThanTheTableEmptiesIt() throws Exception {
    HpackDecoder decoder = new HpackDecoder(64, 65536);
    decoder.decode(Hex.decode("4001 6101 62")); // a: b, 34 octets
    assertTable(decoder, 34, "a", "b");
    // a: <40 x 'c'> is 73 octets, more than 64: RFC 7541 4.4 empties the table, adds nothing.
    StringBuilder block = new StringBuilder("4001 6128");
    for (int i = 0; i < 40; i++) {
      block.append("63");
    }
    decoder.decode(Hex.decode(block.toString()));
    assertTable(decoder, 0);
  }

  static List<HeaderField> fields(String... namesAndValues) {
    List<HeaderField> fields = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.add(new HeaderField(namesAndValues[i], namesAndValues[i + 1]));
    }
    return fields;
  }

  /** The dynamic table, newest entry first, and its size in octets. */
  private static void assertTable(HpackDecoder decoder, int size, String... namesAndValues) {
    List<HeaderField> entries = new ArrayList<>();
    for (int i = 1; i <= decoder.dynamicTableLength(); i++) {
      entries.add(decoder.dynamicTableEntry(i));
    }
    assertEquals(fields(namesAndValues), entries);
    assertEquals(size, decoder.dynamicTableSize());
  }
}
