package io.vigil.agent.trace.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HpackHuffmanTest {

  /**
   * RFC 7541's code is canonical: ordered by (length, symbol), each code is the previous plus one,
   * shifted left by the growth in length; the first is 0, and EOS is thirty 1 bits. This holds for
   * the table exactly as printed in Appendix B and fails for almost any typing error in it.
   */
  @Test
  void tableIsTheCanonicalCodeOfAppendixB() {
    List<Integer> symbols = new ArrayList<>();
    for (int symbol = 0; symbol <= HpackHuffman.EOS; symbol++) {
      symbols.add(symbol);
    }
    symbols.sort(Comparator.comparingInt(HpackHuffman::length).thenComparingInt(s -> s));
    int code = 0;
    int previousLength = HpackHuffman.length(symbols.get(0));
    assertEquals(0, HpackHuffman.code(symbols.get(0)));
    for (int symbol : symbols.subList(1, symbols.size())) {
      int length = HpackHuffman.length(symbol);
      code = (code + 1) << (length - previousLength);
      previousLength = length;
      assertEquals(code, HpackHuffman.code(symbol), "code of symbol " + symbol);
    }
    assertEquals(0x3fffffff, HpackHuffman.code(HpackHuffman.EOS));
    assertEquals(30, HpackHuffman.length(HpackHuffman.EOS));
  }

  @Test
  void codeIsComplete() {
    // Kraft: a prefix code with no unused bit pattern has sum(2^-length) == 1.
    long sum = 0;
    for (int symbol = 0; symbol <= HpackHuffman.EOS; symbol++) {
      sum += 1L << (30 - HpackHuffman.length(symbol));
    }
    assertEquals(1L << 30, sum);
  }

  @Test
  void spotChecksAgainstAppendixB() {
    assertEquals(0x1ff8, HpackHuffman.code(0));
    assertEquals(13, HpackHuffman.length(0));
    assertEquals(0x14, HpackHuffman.code(' '));
    assertEquals(6, HpackHuffman.length(' '));
    assertEquals(0x7fff0, HpackHuffman.code('\\'));
    assertEquals(19, HpackHuffman.length('\\'));
    assertEquals(0x3ffffee, HpackHuffman.code(255));
    assertEquals(26, HpackHuffman.length(255));
  }

  /** The Huffman-coded strings of RFC 7541 C.4 and C.6. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "f1e3 c2e5 f23a 6ba0 ab90 f4ff | www.example.com",
        "a8eb 1064 9cbf | no-cache",
        "25a8 49e9 5ba9 7d7f | custom-key",
        "25a8 49e9 5bb8 e8b4 bf | custom-value",
        "6402 | 302",
        "aec3 771a 4b | private",
        "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff | Mon, 21 Oct 2013 20:13:21 GMT",
        "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3 | https://www.example.com",
        "9bd9 ab | gzip",
        "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0"
            + " 03ed 4ee5 b106 3d50 07 | foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
      })
  void decodesTheRfcExamples(String hex, String expected) throws Exception {
    byte[] code = Hex.decode(hex);
    assertEquals(expected, new String(HpackHuffman.decode(code, 0, code.length), StandardCharsets.ISO_8859_1));
  }

  @Test
  void decodesEverySymbolAndPadsWithOnes() throws Exception {
    // Encode all 256 octets with the table, pad with ones, decode: every code path of the trie.
    byte[] all = new byte[256];
    long bits = 0;
    int bitCount = 0;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int symbol = 0; symbol < 256; symbol++) {
      all[symbol] = (byte) symbol;
      bits = (bits << HpackHuffman.length(symbol)) | HpackHuffman.code(symbol);
      bitCount += HpackHuffman.length(symbol);
      while (bitCount >= 8) {
        out.write((int) (bits >>> (bitCount - 8)));
        bitCount -= 8;
      }
    }
    if (bitCount > 0) {
      out.write((int) ((bits << (8 - bitCount)) | (0xff >>> bitCount)));
    }
    byte[] code = out.toByteArray();
    assertArrayEquals(all, HpackHuffman.decode(code, 0, code.length));
  }

  @Test
  void rejectsPaddingLongerThanSevenBits() {
    // '0' is 00000; then a whole octet of ones is more padding than allowed.
    byte[] code = {(byte) 0x07, (byte) 0xff};
    Http2Exception e = assertThrows(Http2Exception.class, () -> HpackHuffman.decode(code, 0, code.length));
    assertEquals(Http2Exception.COMPRESSION_ERROR, e.errorCode());
  }

  @Test
  void rejectsPaddingThatIsNotAllOnes() {
    // 'a' is 00011, padded with 000 instead of 111.
    byte[] code = {(byte) 0x18};
    assertThrows(Http2Exception.class, () -> HpackHuffman.decode(code, 0, code.length));
  }

  @Test
  void rejectsEos() {
    byte[] code = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    Http2Exception e = assertThrows(Http2Exception.class, () -> HpackHuffman.decode(code, 0, code.length));
    assertEquals("HPACK Huffman string contains EOS", e.getMessage());
  }

  @Test
  void emptyStringDecodesToNothing() throws Exception {
    assertEquals(0, HpackHuffman.decode(new byte[0], 0, 0).length);
  }
}
