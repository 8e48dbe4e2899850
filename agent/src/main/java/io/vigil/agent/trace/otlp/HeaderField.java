package io.vigil.agent.trace.otlp;

/** One HTTP/2 header field: a lower-case name and its value, both as octet strings (Latin-1). */
final class HeaderField {

  /** RFC 7541 4.1: every dynamic table entry costs its octets plus 32. */
  static final int ENTRY_OVERHEAD = 32;

  final String name;
  final String value;

  HeaderField(String name, String value) {
    this.name = name;
    this.value = value;
  }

  /** The size this field counts for in an HPACK dynamic table and a header list. */
  int hpackSize() {
    return name.length() + value.length() + ENTRY_OVERHEAD;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof HeaderField)) {
      return false;
    }
    HeaderField field = (HeaderField) other;
    return name.equals(field.name) && value.equals(field.value);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + value.hashCode();
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
