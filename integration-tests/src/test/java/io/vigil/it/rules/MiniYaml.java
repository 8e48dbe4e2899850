package io.vigil.it.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader for the YAML subset that the Prometheus rule files, promtool test files and the
 * Alertmanager configuration in this repository use (no YAML library is on the test class path).
 *
 * <p>Supported: block mappings and sequences (a sequence may sit at its key's indentation), comments,
 * plain, single- and double-quoted scalars, literal and folded block scalars ({@code |}, {@code |-},
 * {@code >}, {@code >-}), and one-line flow sequences and mappings of scalars ({@code [a, b]},
 * {@code {}}). Scalars stay strings. Anything else (anchors, multi-line plain or flow scalars, tags) is
 * rejected with the line number rather than misread; promtool and amtool validate the files fully.
 *
 * <p>The result is built from {@link Map} (insertion-ordered), {@link List} and {@link String}; an empty
 * value is {@code null}.
 */
final class MiniYaml {

    private final String[] lines;
    private final String source;
    private int pos;

    private MiniYaml(String text, String source) {
        this.lines = text.replace("\r\n", "\n").split("\n", -1);
        this.source = source;
    }

    static Object parse(String text, String source) {
        MiniYaml parser = new MiniYaml(text, source);
        parser.skipBlank();
        if (parser.pos < parser.lines.length && parser.content(parser.pos).equals("---")) {
            parser.pos++;
        }
        Object root = parser.node(0);
        parser.skipBlank();
        if (parser.pos < parser.lines.length) {
            throw parser.error("unexpected content");
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    static String string(Object node) {
        return node == null ? null : (String) node;
    }

    // ------------------------------------------------------------------------------------------

    private Object node(int minIndent) {
        skipBlank();
        if (pos >= lines.length) {
            return null;
        }
        int indent = indent(pos);
        if (indent < minIndent) {
            return null;
        }
        return isSequenceItem(pos) ? sequence(indent) : mapping(indent);
    }

    private List<Object> sequence(int indent) {
        List<Object> items = new ArrayList<>();
        while (true) {
            skipBlank();
            if (pos >= lines.length || indent(pos) != indent || !isSequenceItem(pos)) {
                return items;
            }
            String rest = content(pos).substring(1).strip();
            if (rest.isEmpty() || isComment(rest)) {
                pos++;
                items.add(node(indent + 1));
            } else if (keyEnd(rest) >= 0) {
                // "- key: value": the item is a mapping whose first key sits two columns further in.
                int itemIndent = indent + 1 + leadingSpaces(content(pos).substring(1));
                lines[pos] = " ".repeat(itemIndent) + rest;
                items.add(mapping(itemIndent));
            } else {
                items.add(inlineValue(rest));
                pos++;
            }
        }
    }

    private Map<String, Object> mapping(int indent) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipBlank();
            if (pos >= lines.length || indent(pos) != indent || isSequenceItem(pos)) {
                if (pos < lines.length && indent(pos) > indent) {
                    throw error("unexpected indentation");
                }
                return map;
            }
            String line = content(pos);
            int colon = keyEnd(line);
            if (colon < 0) {
                throw error("expected 'key: value'");
            }
            String key = unquoteKey(line.substring(0, colon).strip());
            String rest = line.substring(colon + 1).strip();
            int keyLine = pos;
            pos++;
            Object value;
            if (rest.isEmpty() || isComment(rest)) {
                skipBlank();
                if (pos < lines.length && indent(pos) > indent) {
                    value = node(indent + 1);
                } else if (pos < lines.length && indent(pos) == indent && isSequenceItem(pos)) {
                    value = sequence(indent);
                } else {
                    value = null;
                }
            } else if (rest.startsWith("|") || rest.startsWith(">")) {
                value = blockScalar(rest, indent);
            } else {
                pos = keyLine;
                value = inlineValue(rest);
                pos++;
            }
            if (map.containsKey(key)) {
                pos = keyLine;
                throw error("duplicate key '" + key + "'");
            }
            map.put(key, value);
        }
    }

    private String blockScalar(String header, int parentIndent) {
        String indicator = stripComment(header).strip();
        boolean folded = indicator.startsWith(">");
        String chomp = indicator.length() > 1 ? indicator.substring(1) : "";
        if (!chomp.isEmpty() && !chomp.equals("-") && !chomp.equals("+")) {
            throw error("unsupported block scalar header '" + indicator + "'");
        }
        List<String> body = new ArrayList<>();
        int blockIndent = -1;
        while (pos < lines.length) {
            String raw = lines[pos];
            if (raw.isBlank()) {
                body.add("");
                pos++;
                continue;
            }
            int ind = leadingSpaces(raw);
            if (ind <= parentIndent) {
                break;
            }
            if (blockIndent < 0) {
                blockIndent = ind;
            }
            if (ind < blockIndent) {
                break;
            }
            body.add(raw.substring(blockIndent));
            pos++;
        }
        int trailingBlank = 0;
        while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
            body.remove(body.size() - 1);
            trailingBlank++;
        }
        String text;
        if (folded) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < body.size(); i++) {
                String l = body.get(i);
                if (i > 0) {
                    sb.append(l.isEmpty() || body.get(i - 1).isEmpty() ? "\n" : " ");
                }
                sb.append(l);
            }
            text = sb.toString();
        } else {
            text = String.join("\n", body);
        }
        if (chomp.equals("-") || body.isEmpty()) {
            return text;
        }
        return chomp.equals("+") ? text + "\n".repeat(trailingBlank + 1) : text + "\n";
    }

    private Object inlineValue(String text) {
        String t = text.strip();
        if (t.startsWith("\"")) {
            int end = closingDoubleQuote(t);
            requireOnlyComment(t.substring(end + 1));
            return unescapeDouble(t.substring(1, end));
        }
        if (t.startsWith("'")) {
            int end = closingSingleQuote(t);
            requireOnlyComment(t.substring(end + 1));
            return t.substring(1, end).replace("''", "'");
        }
        if (t.startsWith("[")) {
            int end = t.lastIndexOf(']');
            if (end < 0) {
                throw error("multi-line flow sequences are not supported");
            }
            requireOnlyComment(t.substring(end + 1));
            List<Object> items = new ArrayList<>();
            String inner = t.substring(1, end).strip();
            if (!inner.isEmpty()) {
                for (String part : splitFlow(inner)) {
                    items.add(inlineValue(part));
                }
            }
            return items;
        }
        if (t.startsWith("{")) {
            int end = t.lastIndexOf('}');
            if (end < 0 || !t.substring(1, end).isBlank()) {
                throw error("only empty flow mappings are supported");
            }
            requireOnlyComment(t.substring(end + 1));
            return new LinkedHashMap<String, Object>();
        }
        if (t.startsWith("&") || t.startsWith("*") || t.startsWith("!")) {
            throw error("anchors, aliases and tags are not supported");
        }
        String plain = stripComment(t).strip();
        if (pos + 1 < lines.length && isContinuation(pos + 1)) {
            throw error("multi-line plain scalars are not supported");
        }
        return plain.isEmpty() || plain.equals("~") || plain.equals("null") ? null : plain;
    }

    private boolean isContinuation(int line) {
        // A following, more indented line that is neither a key nor a sequence item would continue
        // a plain scalar. Not used in this repository; refuse rather than misread.
        if (line >= lines.length || lines[line].isBlank()) {
            return false;
        }
        String c = content(line);
        return indent(line) > indent(pos) && !isComment(c) && !isSequenceItem(line) && keyEnd(c) < 0;
    }

    // ------------------------------------------------------------------------------------------

    private List<String> splitFlow(String inner) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < inner.length()) {
                    current.append(c);
                    c = inner.charAt(++i);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ',') {
                parts.add(current.toString().strip());
                current.setLength(0);
                continue;
            } else if (c == '[' || c == '{') {
                throw error("nested flow collections are not supported");
            }
            current.append(c);
        }
        parts.add(current.toString().strip());
        return parts;
    }

    /** Index of the ':' that ends a mapping key in {@code text}, or -1. */
    private static int keyEnd(String text) {
        char quote = 0;
        int start = 0;
        if (text.startsWith("\"") || text.startsWith("'")) {
            quote = text.charAt(0);
            int i = 1;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '\\' && quote == '"') {
                    i += 2;
                    continue;
                }
                if (c == quote) {
                    if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            start = i + 1;
        } else if (text.startsWith("[") || text.startsWith("{") || text.startsWith("#")) {
            return -1;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '#' && i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
                return -1;
            }
            if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    private String unquoteKey(String key) {
        if (key.startsWith("\"")) {
            return unescapeDouble(key.substring(1, closingDoubleQuote(key)));
        }
        if (key.startsWith("'")) {
            return key.substring(1, closingSingleQuote(key)).replace("''", "'");
        }
        return key;
    }

    private int closingDoubleQuote(String t) {
        for (int i = 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw error("unterminated double-quoted scalar (multi-line quoted scalars are not supported)");
    }

    private int closingSingleQuote(String t) {
        for (int i = 1; i < t.length(); i++) {
            if (t.charAt(i) == '\'') {
                if (i + 1 < t.length() && t.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        throw error("unterminated single-quoted scalar (multi-line quoted scalars are not supported)");
    }

    private String unescapeDouble(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= s.length()) {
                throw error("dangling escape in double-quoted scalar");
            }
            char e = s.charAt(i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case '"', '\\', '/', ' ' -> sb.append(e);
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw error("unsupported escape \\" + e);
            }
        }
        return sb.toString();
    }

    private void requireOnlyComment(String rest) {
        String r = rest.strip();
        if (!r.isEmpty() && !isComment(r)) {
            throw error("unexpected text after value: " + r);
        }
    }

    private static String stripComment(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                return text.substring(0, i);
            }
        }
        return text;
    }

    private static boolean isComment(String stripped) {
        return stripped.startsWith("#");
    }

    private void skipBlank() {
        while (pos < lines.length && (lines[pos].isBlank() || isComment(lines[pos].strip()))) {
            pos++;
        }
    }

    private boolean isSequenceItem(int line) {
        String c = content(line);
        return c.equals("-") || c.startsWith("- ");
    }

    private String content(int line) {
        return lines[line].strip();
    }

    private int indent(int line) {
        String raw = lines[line];
        if (raw.startsWith("\t")) {
            throw new IllegalArgumentException(source + ":" + (line + 1) + ": tabs are not allowed for indentation");
        }
        return leadingSpaces(raw);
    }

    private static int leadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private IllegalArgumentException error(String message) {
        int line = Math.min(pos, lines.length - 1);
        return new IllegalArgumentException(source + ":" + (line + 1) + ": " + message
                + (line >= 0 ? " [" + lines[line].strip() + "]" : ""));
    }
}
