package io.vigil.agent.http;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Just enough JSON writing for the health, errors and summary documents: no dependency for a few objects. */
public final class Json {

  /** A value that is JSON already (one document embedded in another), written as it is. */
  public static final class Raw {
    private final String json;

    public Raw(String json) {
      this.json = json;
    }

    @Override
    public String toString() {
      return json;
    }
  }

  private Json() {}

  public static void string(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  public static void value(StringBuilder out, Object value) {
    if (value instanceof Number || value instanceof Boolean || value instanceof Raw) {
      out.append(value);
    } else if (value instanceof Map) {
      object(out, (Map<?, ?>) value);
    } else if (value instanceof List) {
      out.append('[');
      List<?> list = (List<?>) value;
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        value(out, list.get(i));
      }
      out.append(']');
    } else {
      string(out, value == null ? null : String.valueOf(value));
    }
  }

  public static void object(StringBuilder out, Map<?, ?> map) {
    out.append('{');
    Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<?, ?> entry = entries.next();
      string(out, String.valueOf(entry.getKey()));
      out.append(':');
      value(out, entry.getValue());
      if (entries.hasNext()) {
        out.append(',');
      }
    }
    out.append('}');
  }
}
