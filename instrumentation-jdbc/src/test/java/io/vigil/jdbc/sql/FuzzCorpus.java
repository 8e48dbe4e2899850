package io.vigil.jdbc.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Inputs that once broke a property of a fuzz test, kept as regression cases in {@code
 * src/test/resources/fuzz/}: one input per line, {@code #} lines are comments, and {@code \n},
 * {@code \t}, {@code \r}, {@code \\} and a backslash, {@code u} and four hex digits are escapes, so that any input fits on a
 * line. A failing fuzz case prints its input in this form ({@link #escape}), ready to be added.
 */
final class FuzzCorpus {

  private FuzzCorpus() {}

  static List<String> load(String name) {
    InputStream in = FuzzCorpus.class.getResourceAsStream("/fuzz/" + name);
    if (in == null) {
      throw new IllegalStateException("no corpus /fuzz/" + name);
    }
    List<String> inputs = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.startsWith("#") && !line.isEmpty()) {
          inputs.add(unescape(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inputs;
  }

  static String escape(String input) {
    StringBuilder out = new StringBuilder(input.length() + 16);
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String unescape(String line) {
    StringBuilder out = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\\' || i + 1 == line.length()) {
        out.append(c);
        continue;
      }
      char next = line.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(line.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(next);
      }
    }
    return out.toString();
  }
}
