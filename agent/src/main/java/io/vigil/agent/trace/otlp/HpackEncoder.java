package io.vigil.agent.trace.otlp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes header blocks (RFC 7541) without a dynamic table: a field found whole in the static
 * table is sent as its index, any other as a literal (with the static name index when there is
 * one) that is not indexed, or never indexed for credentials. Strings go out raw, not Huffman
 * coded; a gRPC request's dozen short headers gain little from either.
 *
 * <p>Because this encoder never inserts into the peer's dynamic table, the only table state to
 * keep is the size update: the first block of a connection, and the first after the peer changes
 * SETTINGS_HEADER_TABLE_SIZE, start by setting the table to 0, which is within any limit.
 */
final class HpackEncoder {

  private boolean sizeUpdatePending = true;

  /** The peer sent SETTINGS_HEADER_TABLE_SIZE; acknowledge with a size update in the next block. */
  void peerTableSizeChanged() {
    sizeUpdatePending = true;
  }

  byte[] encode(List<HeaderField> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    if (sizeUpdatePending) {
      writeInt(out, 0x20, 5, 0);
      sizeUpdatePending = false;
    }
    for (HeaderField field : fields) {
      boolean sensitive = isSensitive(field.name);
      int index = sensitive ? 0 : HpackStaticTable.indexOf(field);
      if (index != 0) {
        writeInt(out, 0x80, 7, index);
        continue;
      }
      int nameIndex = HpackStaticTable.indexOfName(field.name);
      writeInt(out, sensitive ? 0x10 : 0x00, 4, nameIndex);
      if (nameIndex == 0) {
        writeString(out, field.name);
      }
      writeString(out, field.value);
    }
    return out.toByteArray();
  }

  /** Credentials must not enter any intermediary's compression context (RFC 7541 7.1.3). */
  private static boolean isSensitive(String name) {
    return name.equals("authorization") || name.equals("proxy-authorization") || name.equals("cookie");
  }

  private static void writeString(ByteArrayOutputStream out, String value) {
    byte[] octets = value.getBytes(StandardCharsets.ISO_8859_1);
    writeInt(out, 0x00, 7, octets.length);
    out.write(octets, 0, octets.length);
  }

  /** RFC 7541 5.1 integer with an N-bit prefix; {@code pattern} holds the bits above the prefix. */
  static void writeInt(ByteArrayOutputStream out, int pattern, int prefixBits, int value) {
    int mask = (1 << prefixBits) - 1;
    if (value < mask) {
      out.write(pattern | value);
      return;
    }
    out.write(pattern | mask);
    int rest = value - mask;
    while (rest >= 0x80) {
      out.write((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }
}
