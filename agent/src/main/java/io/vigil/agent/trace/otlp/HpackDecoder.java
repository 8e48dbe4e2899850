package io.vigil.agent.trace.otlp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes HPACK header blocks (RFC 7541): indexed fields, literals with and without indexing,
 * dynamic table size updates, Huffman-coded strings. One decoder per connection, fed every header
 * block the peer sends, in order, so that its dynamic table stays in step with the peer's encoder.
 */
final class HpackDecoder {

  private final int tableSizeLimit;
  private final int maxHeaderListSize;
  private final HpackDynamicTable table;

  private byte[] src;
  private int pos;
  private int end;

  /**
   * @param tableSizeLimit the SETTINGS_HEADER_TABLE_SIZE this side announced (4096 by default):
   *     the largest size the peer may set the table to
   * @param maxHeaderListSize the largest header list accepted, counted as RFC 9113 6.5.2 does
   */
  HpackDecoder(int tableSizeLimit, int maxHeaderListSize) {
    this.tableSizeLimit = tableSizeLimit;
    this.maxHeaderListSize = maxHeaderListSize;
    this.table = new HpackDynamicTable(tableSizeLimit);
  }

  List<HeaderField> decode(byte[] block) throws Http2Exception {
    return decode(block, 0, block.length);
  }

  List<HeaderField> decode(byte[] block, int offset, int length) throws Http2Exception {
    src = block;
    pos = offset;
    end = offset + length;
    try {
      List<HeaderField> fields = new ArrayList<>();
      int listSize = 0;
      while (pos < end) {
        int first = src[pos] & 0xff;
        HeaderField field;
        if ((first & 0x80) != 0) {
          field = lookup(readInt(7));
        } else if ((first & 0x40) != 0) {
          field = readLiteral(6);
          table.add(field);
        } else if ((first & 0x20) != 0) {
          // RFC 7541 4.2: size updates open a header block, before its first field.
          if (!fields.isEmpty()) {
            throw compressionError("dynamic table size update after a header field");
          }
          int size = readInt(5);
          if (size > tableSizeLimit) {
            throw compressionError("dynamic table size update to " + size + " exceeds " + tableSizeLimit);
          }
          table.setMaxSize(size);
          continue;
        } else {
          // 0000xxxx without indexing, 0001xxxx never indexed: the same to a decoder.
          field = readLiteral(4);
        }
        listSize += field.hpackSize();
        if (listSize > maxHeaderListSize) {
          throw new Http2Exception(
              Http2Exception.PROTOCOL_ERROR, "header list larger than " + maxHeaderListSize + " octets");
        }
        fields.add(field);
      }
      return fields;
    } finally {
      src = null;
    }
  }

  /** Octets in the dynamic table (for tests). */
  int dynamicTableSize() {
    return table.size();
  }

  /** Entries in the dynamic table (for tests). */
  int dynamicTableLength() {
    return table.length();
  }

  /** Dynamic table entry {@code index}, 1 being the newest (for tests). */
  HeaderField dynamicTableEntry(int index) {
    return table.get(index);
  }

  private HeaderField lookup(int index) throws Http2Exception {
    if (index >= 1 && index <= HpackStaticTable.LENGTH) {
      return HpackStaticTable.get(index);
    }
    int dynamicIndex = index - HpackStaticTable.LENGTH;
    if (dynamicIndex >= 1 && dynamicIndex <= table.length()) {
      return table.get(dynamicIndex);
    }
    throw compressionError("header index " + index + " out of range");
  }

  private HeaderField readLiteral(int prefixBits) throws Http2Exception {
    int nameIndex = readInt(prefixBits);
    String name = nameIndex == 0 ? readString() : lookup(nameIndex).name;
    return new HeaderField(name, readString());
  }

  private String readString() throws Http2Exception {
    if (pos >= end) {
      throw compressionError("header block ends inside a string");
    }
    boolean huffman = (src[pos] & 0x80) != 0;
    int length = readInt(7);
    if (length > end - pos) {
      throw compressionError("string of " + length + " octets overruns the header block");
    }
    byte[] octets;
    if (huffman) {
      octets = HpackHuffman.decode(src, pos, length);
    } else {
      octets = new byte[length];
      System.arraycopy(src, pos, octets, 0, length);
    }
    pos += length;
    return new String(octets, StandardCharsets.ISO_8859_1);
  }

  /** RFC 7541 5.1: an N-bit prefix, continued in 7-bit groups, least significant first. */
  private int readInt(int prefixBits) throws Http2Exception {
    if (pos >= end) {
      throw compressionError("header block ends inside an integer");
    }
    int mask = (1 << prefixBits) - 1;
    int prefix = src[pos++] & mask;
    if (prefix < mask) {
      return prefix;
    }
    long value = mask;
    for (int shift = 0; shift <= 28; shift += 7) {
      if (pos >= end) {
        throw compressionError("header block ends inside an integer");
      }
      int octet = src[pos++] & 0xff;
      value += (long) (octet & 0x7f) << shift;
      if (value > Integer.MAX_VALUE) {
        break;
      }
      if ((octet & 0x80) == 0) {
        return (int) value;
      }
    }
    throw compressionError("integer does not fit in 31 bits");
  }

  private static Http2Exception compressionError(String message) {
    return new Http2Exception(Http2Exception.COMPRESSION_ERROR, "HPACK: " + message);
  }
}
