package io.vigil.servlet.route;

/**
 * Turns a raw request path into a low-cardinality route template by replacing id-like segments
 * with {@value #ID}: {@code /owners/42/pets/7.json} becomes {@code /owners/{id}/pets/{id}.json}.
 * This is the last resort of {@link ServletRoutes#choose}; a framework pattern or a servlet
 * mapping, when there is one, says more.
 *
 * <h2>Contract of {@link #fold}</h2>
 *
 * <ul>
 *   <li>Never throws, and runs in time linear in the input: one left-to-right pass, each segment
 *       examined a constant number of times, no regular expressions.
 *   <li>The result starts with {@code /}, has no empty segments, no trailing slash (except the
 *       root {@code /} itself) and at most {@value #MAX_LENGTH} characters, drawn only from
 *       letters, digits, {@code - . _ ~ / { }}. {@code null} and {@code ""} give {@code /}.
 *   <li>What is dropped: the query ({@code ?...}) and fragment ({@code #...}); path parameters
 *       ({@code ;jsessionid=...}, {@code ;color=red}) of every segment; {@code .} segments; a
 *       {@code scheme://authority} prefix if the input is an absolute URI. Repeated slashes
 *       collapse. {@code ..} removes the segment before it (never above the root), the way the
 *       container resolved it; {@code %2e} counts as a dot here, as it does there.
 *   <li>At most {@value #MAX_SEGMENTS} segments are kept; if more follow, or if the next one would
 *       take the result past {@value #MAX_LENGTH} characters, the remainder becomes one final
 *       {@value #REST} segment and is not examined further.
 *   <li>Folding is idempotent: {@code fold(fold(p)).equals(fold(p))}.
 * </ul>
 *
 * <h2>Which segments become {@value #ID}</h2>
 *
 * <p>A segment is an id when any of these holds (letters and digits are ASCII):
 *
 * <ul>
 *   <li>it is longer than {@value #MAX_SEGMENT_LENGTH} characters;
 *   <li>it contains a character other than letters, digits and {@code - . _ ~}: percent-encoded
 *       or raw non-ASCII text (names, search terms), {@code @} (e-mail addresses), {@code + , = :}
 *       and the like. Route templates are made of plain identifiers; free text is data;
 *   <li>it has digits and no letters: {@code 42}, {@code -1}, {@code 3.14}, {@code 2024-01-15},
 *       {@code 10.0.0.1};
 *   <li>it is a UUID in any case ({@code 8-4-4-4-12} hex digits), or at least 8 hex digits with
 *       at least one decimal digit among them (object ids, hashes: {@code 507f1f77bcf86cd7});
 *   <li>it mixes letters and digits in a way words do not: a run of 4 or more digits ({@code
 *       ab12345}, {@code INV-2024-0001}); a run of 3 or more digits with more digits than letters
 *       ({@code u123}); 10 or more characters with 3 or more digits switching between letters and
 *       digits at least 4 times ({@code aZ3kP9qL2x}); or 16 or more characters with letters and
 *       digits that is one unbroken alphanumeric token or switches between letters and digits at
 *       least twice (base64url tokens).
 * </ul>
 *
 * <p>Everything else stays as it is, including words with a few digits: {@code v1}, {@code
 * v1beta1}, {@code html5}, {@code oauth2}, {@code sha256}, {@code x86_64}, {@code i18n}. Known
 * casualties of the rules above are short digit-heavy names such as {@code x509} and {@code
 * h264}, which fold.
 *
 * <h2>Extensions</h2>
 *
 * <p>A segment whose text after its last dot is a short extension (1 to 5 letters and digits,
 * at least one of them a letter, after a non-empty stem) is judged by its stem and keeps its
 * extension: {@code 123.json} becomes {@code {id}.json}, {@code index.html} stays. The extension
 * is kept because it usually selects a representation of the same route, and because its value
 * set is small in practice. E-mail addresses fold whole ({@code {id}}, not {@code {id}.com}).
 */
public final class PathTemplates {

  /** Replaces an id-like segment. */
  public static final String ID = "{id}";

  /** Replaces every segment past the caps. */
  public static final String REST = "{rest}";

  /** Segments kept before the remainder becomes {@value #REST}. */
  public static final int MAX_SEGMENTS = 10;

  /** Longer segments are ids whatever they contain. */
  public static final int MAX_SEGMENT_LENGTH = 64;

  /** Upper bound on the length of a folded path, {@value #REST} included. */
  public static final int MAX_LENGTH = 256;

  private static final String ROOT = "/";
  private static final int MAX_EXTENSION_LENGTH = 5;
  // Room kept free at the end of the result so that "/{rest}" always fits under MAX_LENGTH.
  private static final int REST_RESERVE = 1 + 6;

  private PathTemplates() {}

  /**
   * Returns the route template of {@code path}, as described in the class documentation.
   *
   * @param path a request URI path ({@code HttpServletRequest.getRequestURI()}); may be null,
   *     relative, absolute, or carry a query
   */
  public static String fold(String path) {
    if (path == null || path.isEmpty()) {
      return ROOT;
    }
    int length = path.length();
    StringBuilder out = new StringBuilder(Math.min(length, MAX_LENGTH) + 16);
    int kept = 0;
    int i = startOfPath(path, length);
    while (i < length) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        break;
      }
      if (c == '/') {
        i++;
        continue;
      }
      int start = i;
      int contentEnd = -1; // where path parameters (";...") begin, if they do
      while (i < length) {
        c = path.charAt(i);
        if (c == '/' || c == '?' || c == '#') {
          break;
        }
        if (c == ';' && contentEnd < 0) {
          contentEnd = i;
        }
        i++;
      }
      int end = contentEnd < 0 ? i : contentEnd;
      if (end == start) {
        continue; // only path parameters
      }
      int dots = dotSegment(path, start, end);
      if (dots == 1) {
        continue;
      }
      if (dots == 2) {
        if (kept > 0) {
          kept--;
          removeLastSegment(out);
        }
        continue;
      }
      if (kept == MAX_SEGMENTS || (end - start == REST.length() && path.startsWith(REST, start))) {
        // An input "{rest}" is an already folded remainder: folding it again must not change it.
        out.append('/').append(REST);
        return out.toString();
      }
      int before = out.length();
      out.append('/');
      appendSegment(out, path, start, end);
      if (out.length() > MAX_LENGTH - REST_RESERVE) {
        out.setLength(before);
        out.append('/').append(REST);
        return out.toString();
      }
      kept++;
    }
    return out.length() == 0 ? ROOT : out.toString();
  }

  /**
   * Index where the path begins: 0 for an ordinary path, or the first character after the
   * authority of an absolute URI ({@code http://host:8080/a} gives the index of {@code /a}), so
   * that host names never reach a label.
   */
  private static int startOfPath(String path, int length) {
    char first = path.charAt(0);
    if (first == '/' || !isLetter(first)) {
      return 0;
    }
    int i = 1;
    while (i < length) {
      char c = path.charAt(i);
      if (isLetter(c) || isDigit(c) || c == '+' || c == '-' || c == '.') {
        i++;
      } else {
        break;
      }
    }
    if (!path.startsWith("://", i)) {
      return 0; // a relative path such as "owners/1"
    }
    i += 3;
    while (i < length) {
      char c = path.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        break;
      }
      i++;
    }
    return i;
  }

  /**
   * 1 for a {@code .} segment, 2 for {@code ..}, 0 otherwise; {@code %2e} in either case counts
   * as a dot, as it does for the container that resolved the path.
   */
  private static int dotSegment(String path, int start, int end) {
    int dots = 0;
    int i = start;
    while (i < end) {
      if (path.charAt(i) == '.') {
        i++;
      } else if (end - i >= 3
          && path.charAt(i) == '%'
          && path.charAt(i + 1) == '2'
          && (path.charAt(i + 2) == 'e' || path.charAt(i + 2) == 'E')) {
        i += 3;
      } else {
        return 0;
      }
      if (++dots > 2) {
        return 0;
      }
    }
    return dots;
  }

  private static void removeLastSegment(StringBuilder out) {
    int i = out.length() - 1;
    while (out.charAt(i) != '/') {
      i--;
    }
    out.setLength(i);
  }

  private static void appendSegment(StringBuilder out, String path, int start, int end) {
    if (end - start > MAX_SEGMENT_LENGTH || contains(path, start, end, '@')) {
      out.append(ID);
      return;
    }
    int stemEnd = extensionDot(path, start, end);
    if (stemEnd < 0) {
      stemEnd = end;
    }
    if (isIdLike(path, start, stemEnd)) {
      out.append(ID).append(path, stemEnd, end);
    } else {
      out.append(path, start, end);
    }
  }

  /**
   * Index of the dot that starts a short extension ({@code .json}, {@code .mp4}), or -1. Looks
   * at no more than the last {@value #MAX_EXTENSION_LENGTH} + 1 characters.
   */
  private static int extensionDot(String path, int start, int end) {
    boolean hasLetter = false;
    int floor = Math.max(start + 1, end - MAX_EXTENSION_LENGTH - 1); // the stem is not empty
    for (int i = end - 1; i >= floor; i--) {
      char c = path.charAt(i);
      if (c == '.') {
        return hasLetter && i < end - 1 ? i : -1;
      }
      if (isLetter(c)) {
        hasLetter = true;
      } else if (!isDigit(c)) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean contains(String path, int start, int end, char wanted) {
    for (int i = start; i < end; i++) {
      if (path.charAt(i) == wanted) {
        return true;
      }
    }
    return false;
  }

  /** The rules of the class documentation, in one pass over {@code [start, end)}. */
  private static boolean isIdLike(String path, int start, int end) {
    int letters = 0;
    int digits = 0;
    int separators = 0;
    int longestDigitRun = 0;
    int digitRun = 0;
    int switches = 0; // letter directly followed by digit, or digit by letter
    boolean allHex = true;
    int previous = 0; // 1 letter, 2 digit, 0 anything else
    for (int i = start; i < end; i++) {
      char c = path.charAt(i);
      int kind;
      if (isDigit(c)) {
        digits++;
        digitRun++;
        longestDigitRun = Math.max(longestDigitRun, digitRun);
        kind = 2;
      } else {
        digitRun = 0;
        if (isLetter(c)) {
          letters++;
          if (!isHexLetter(c)) {
            allHex = false;
          }
          kind = 1;
        } else if (c == '-' || c == '.' || c == '_' || c == '~') {
          separators++;
          allHex = false;
          kind = 0;
        } else {
          return true; // free text, escapes, punctuation: data, not a route
        }
      }
      if (kind != 0 && previous != 0 && kind != previous) {
        switches++;
      }
      previous = kind;
    }
    int length = end - start;
    if (isUuid(path, start, end)) {
      return true; // even the rare one without a decimal digit
    }
    if (digits == 0) {
      return false;
    }
    if (letters == 0) {
      return true;
    }
    if (allHex && length >= 8) {
      return true;
    }
    if (longestDigitRun >= 4 || longestDigitRun >= 3 && digits > letters) {
      return true;
    }
    if (length >= 10 && digits >= 3 && switches >= 4) {
      return true;
    }
    return length >= 16 && (separators == 0 || switches >= 2);
  }

  private static boolean isUuid(String path, int start, int end) {
    if (end - start != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = path.charAt(start + i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !(isDigit(c) || isHexLetter(c))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isHexLetter(char c) {
    return c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
