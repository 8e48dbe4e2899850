package io.vigil.agent.trace.otlp;

import java.util.HashMap;
import java.util.Map;

/** The HPACK static table of RFC 7541 Appendix A; index 1 is its first entry. */
final class HpackStaticTable {

  private static final HeaderField[] ENTRIES = {
    null, // indices start at 1
    new HeaderField(":authority", ""),
    new HeaderField(":method", "GET"),
    new HeaderField(":method", "POST"),
    new HeaderField(":path", "/"),
    new HeaderField(":path", "/index.html"),
    new HeaderField(":scheme", "http"),
    new HeaderField(":scheme", "https"),
    new HeaderField(":status", "200"),
    new HeaderField(":status", "204"),
    new HeaderField(":status", "206"),
    new HeaderField(":status", "304"),
    new HeaderField(":status", "400"),
    new HeaderField(":status", "404"),
    new HeaderField(":status", "500"),
    new HeaderField("accept-charset", ""),
    new HeaderField("accept-encoding", "gzip, deflate"),
    new HeaderField("accept-language", ""),
    new HeaderField("accept-ranges", ""),
    new HeaderField("accept", ""),
    new HeaderField("access-control-allow-origin", ""),
    new HeaderField("age", ""),
    new HeaderField("allow", ""),
    new HeaderField("authorization", ""),
    new HeaderField("cache-control", ""),
    new HeaderField("content-disposition", ""),
    new HeaderField("content-encoding", ""),
    new HeaderField("content-language", ""),
    new HeaderField("content-length", ""),
    new HeaderField("content-location", ""),
    new HeaderField("content-range", ""),
    new HeaderField("content-type", ""),
    new HeaderField("cookie", ""),
    new HeaderField("date", ""),
    new HeaderField("etag", ""),
    new HeaderField("expect", ""),
    new HeaderField("expires", ""),
    new HeaderField("from", ""),
    new HeaderField("host", ""),
    new HeaderField("if-match", ""),
    new HeaderField("if-modified-since", ""),
    new HeaderField("if-none-match", ""),
    new HeaderField("if-range", ""),
    new HeaderField("if-unmodified-since", ""),
    new HeaderField("last-modified", ""),
    new HeaderField("link", ""),
    new HeaderField("location", ""),
    new HeaderField("max-forwards", ""),
    new HeaderField("proxy-authenticate", ""),
    new HeaderField("proxy-authorization", ""),
    new HeaderField("range", ""),
    new HeaderField("referer", ""),
    new HeaderField("refresh", ""),
    new HeaderField("retry-after", ""),
    new HeaderField("server", ""),
    new HeaderField("set-cookie", ""),
    new HeaderField("strict-transport-security", ""),
    new HeaderField("transfer-encoding", ""),
    new HeaderField("user-agent", ""),
    new HeaderField("vary", ""),
    new HeaderField("via", ""),
    new HeaderField("www-authenticate", ""),
  };

  static final int LENGTH = ENTRIES.length - 1;

  private static final Map<HeaderField, Integer> FIELD_INDEX = new HashMap<>();
  private static final Map<String, Integer> NAME_INDEX = new HashMap<>();

  static {
    // Walk backwards so the lowest index wins for names that repeat (":method", ":status").
    for (int i = LENGTH; i >= 1; i--) {
      FIELD_INDEX.put(ENTRIES[i], i);
      NAME_INDEX.put(ENTRIES[i].name, i);
    }
  }

  private HpackStaticTable() {}

  /** The entry at {@code index}, 1 to {@link #LENGTH}. */
  static HeaderField get(int index) {
    return ENTRIES[index];
  }

  /** The index of an entry with this name and value, or 0. */
  static int indexOf(HeaderField field) {
    Integer index = FIELD_INDEX.get(field);
    return index == null ? 0 : index;
  }

  /** The lowest index of an entry with this name, or 0. */
  static int indexOfName(String name) {
    Integer index = NAME_INDEX.get(name);
    return index == null ? 0 : index;
  }
}
