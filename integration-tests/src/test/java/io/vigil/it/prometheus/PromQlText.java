package io.vigil.it.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two small textual operations on PromQL that the live test needs, built on a mask that blanks out
 * what is not expression structure (string literals, label matchers, range and subquery brackets,
 * comments) so that an operator or a name inside them is never touched:
 *
 * <ul>
 *   <li>{@link #withBoolComparisons}: every comparison operator gets the {@code bool} modifier, so an
 *       alert expression returns 0/1 for each of its input series instead of only the series over its
 *       threshold. Prometheus itself parses the result; a rewrite it cannot parse fails the test.</li>
 *   <li>{@link #selectors}: the vector selectors ({@code name{matchers}}) of given metric names.</li>
 * </ul>
 */
final class PromQlText {

    private static final Pattern COMPARISON = Pattern.compile("==|!=|>=|<=|>|<");
    private static final Pattern BOOL_NEXT = Pattern.compile("\\s*bool\\b");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    private PromQlText() {
    }

    /** {@code a > 0.1 and on (x) b == 0} becomes {@code a > bool 0.1 and on (x) b == bool 0}. */
    static String withBoolComparisons(String expr) {
        String masked = mask(expr, true);
        StringBuilder out = new StringBuilder(expr.length() + 32);
        Matcher m = COMPARISON.matcher(masked);
        int last = 0;
        while (m.find()) {
            out.append(expr, last, m.end());
            last = m.end();
            if (!BOOL_NEXT.matcher(masked).region(m.end(), masked.length()).lookingAt()) {
                out.append(" bool");
            }
        }
        out.append(expr.substring(last));
        return out.toString();
    }

    /** Whether the expression has a comparison operator outside strings and matchers. */
    static boolean hasComparison(String expr) {
        return COMPARISON.matcher(mask(expr, true)).find();
    }

    /**
     * Every distinct vector selector of one of {@code metrics} in {@code expr}: the name with its
     * matchers, as written (e.g. {@code up{job="a"}}), without range or offset.
     */
    static Set<String> selectors(String expr, Set<String> metrics) {
        String masked = mask(expr, true);
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IDENT.matcher(masked);
        while (m.find()) {
            if (m.start() > 0 && isIdentChar(masked.charAt(m.start() - 1))) {
                continue;
            }
            if (!metrics.contains(m.group())) {
                continue;
            }
            int i = m.end();
            while (i < masked.length() && Character.isWhitespace(masked.charAt(i))) {
                i++;
            }
            if (i < masked.length() && masked.charAt(i) == '(') {
                continue; // a function of the same name, not a selector
            }
            if (i < masked.length() && masked.charAt(i) == '{') {
                int close = masked.indexOf('}', i);
                out.add(m.group() + expr.substring(i, close + 1));
            } else {
                out.add(m.group());
            }
        }
        return out;
    }

    /**
     * A copy of {@code expr} of the same length in which the inside of string literals, of {@code {...}}
     * matchers and of {@code [...]} ranges, and comments, are spaces; the delimiters stay. Unbalanced
     * input is masked to its end.
     */
    static String mask(String expr, boolean maskBrackets) {
        char[] out = expr.toCharArray();
        int i = 0;
        int n = out.length;
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = maskString(expr, out, i);
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    out[i++] = ' ';
                }
            } else if (c == '{' || (maskBrackets && c == '[')) {
                char close = c == '{' ? '}' : ']';
                i++;
                while (i < n && expr.charAt(i) != close) {
                    char d = expr.charAt(i);
                    if (d == '"' || d == '\'' || d == '`') {
                        int end = maskString(expr, out, i);
                        for (int k = i; k < end; k++) {
                            out[k] = ' ';
                        }
                        i = end;
                    } else {
                        out[i++] = ' ';
                    }
                }
                i++; // the closing delimiter stays
            } else {
                i++;
            }
        }
        return new String(out);
    }

    /** Blanks the string literal starting at {@code start} (keeping its quotes); returns the index after it. */
    private static int maskString(String expr, char[] out, int start) {
        char quote = expr.charAt(start);
        int i = start + 1;
        while (i < expr.length() && expr.charAt(i) != quote) {
            if (expr.charAt(i) == '\\' && quote != '`' && i + 1 < expr.length()) {
                out[i++] = ' ';
            }
            out[i++] = ' ';
        }
        return Math.min(i + 1, expr.length());
    }

    private static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    /** The comparison operators found, for messages. */
    static List<String> comparisons(String expr) {
        List<String> out = new ArrayList<>();
        Matcher m = COMPARISON.matcher(mask(expr, true));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
