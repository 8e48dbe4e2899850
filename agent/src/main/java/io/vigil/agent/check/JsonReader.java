package io.vigil.agent.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document (RFC 8259) into {@link Map}s (in document order), {@link List}s, {@link
 * String}s, {@link Long}s (integers that fit), {@link Double}s, {@link Boolean}s and null. Just
 * enough for the agent's own answers, so that {@code check} needs no library; nesting is bounded so
 * a hostile answer cannot exhaust the stack. The typed getters read a document leniently: a missing
 * or mistyped field is null (or empty), and the caller decides what that means.
 */
final class JsonReader {

  private static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;

  private JsonReader(String text) {
    this.text = text;
  }

  /** The document's value; throws {@link IllegalArgumentException} saying where it is not JSON. */
  static Object parse(String text) {
    JsonReader reader = new JsonReader(text);
    Object value = reader.value(0);
    reader.skipSpace();
    if (reader.pos != text.length()) {
      throw reader.error("unexpected text after the document");
    }
    return value;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> map = new LinkedHashMap<String, Object>();
    pos++;
    skipSpace();
    if (peek('}')) {
      return map;
    }
    do {
      skipSpace();
      if (pos >= text.length() || text.charAt(pos) != '"') {
        throw error("expected a quoted name");
      }
      String name = string();
      skipSpace();
      expect(':');
      map.put(name, value(depth + 1));
      skipSpace();
    } while (peek(','));
    expect('}');
    return map;
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<Object>();
    pos++;
    skipSpace();
    if (peek(']')) {
      return list;
    }
    do {
      list.add(value(depth + 1));
      skipSpace();
    } while (peek(','));
    expect(']');
    return list;
  }

  private String string() {
    pos++;
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.append(e);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u':
          if (pos + 4 > text.length()) {
            throw error("short \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
          break;
        default:
          throw error("bad escape \\" + e);
      }
    }
    throw error("unterminated string");
  }

  private Object number() {
    int start = pos;
    boolean integral = true;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '.' || c == 'e' || c == 'E') {
        integral = false;
      } else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
        break;
      }
      pos++;
    }
    String literal = text.substring(start, pos);
    if (!literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
      pos = start;
      throw error("bad number '" + literal + "'");
    }
    if (integral && literal.length() < 19) {
      return Long.valueOf(literal);
    }
    return Double.valueOf(literal);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected word");
    }
    pos += word.length();
    return value;
  }

  private boolean peek(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error(pos >= text.length() ? "unexpected end, expected '" + c + "'" : "expected '" + c + "'");
    }
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at character " + (pos + 1));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : Collections.<String, Object>emptyMap();
  }

  static Map<String, Object> object(Map<String, Object> parent, String name) {
    return object(parent.get(name));
  }

  /** The objects of an array field; other elements are skipped. */
  static List<Map<String, Object>> objects(Map<String, Object> parent, String name) {
    List<Map<String, Object>> out = new ArrayList<Map<String, Object>>();
    Object value = parent.get(name);
    if (value instanceof List) {
      for (Object element : (List<?>) value) {
        if (element instanceof Map) {
          out.add(object(element));
        }
      }
    }
    return out;
  }

  static String string(Map<String, Object> parent, String name) {
    Object value = parent.get(name);
    return value instanceof String ? (String) value : null;
  }

  static Double number(Map<String, Object> parent, String name) {
    Object value = parent.get(name);
    return value instanceof Number ? ((Number) value).doubleValue() : null;
  }

  static long count(Map<String, Object> parent, String name) {
    Object value = parent.get(name);
    return value instanceof Number ? ((Number) value).longValue() : 0;
  }

  static boolean flag(Map<String, Object> parent, String name) {
    return Boolean.TRUE.equals(parent.get(name));
  }
}
