package io.vigil.jdbc.sql;

import static io.vigil.jdbc.sql.SqlTokens.CLOSE;
import static io.vigil.jdbc.sql.SqlTokens.COMMA;
import static io.vigil.jdbc.sql.SqlTokens.DOT;
import static io.vigil.jdbc.sql.SqlTokens.END;
import static io.vigil.jdbc.sql.SqlTokens.OPEN;
import static io.vigil.jdbc.sql.SqlTokens.OTHER;
import static io.vigil.jdbc.sql.SqlTokens.QUOTED;
import static io.vigil.jdbc.sql.SqlTokens.SEMICOLON;
import static io.vigil.jdbc.sql.SqlTokens.VALUE;
import static io.vigil.jdbc.sql.SqlTokens.WORD;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns raw SQL into text that may leave the process: every literal becomes {@code ?}.
 *
 * <p>Contract of {@link #sanitize(String)}:
 *
 * <ul>
 *   <li>Replaced by {@code ?}: string literals ({@code 'it''s'}, backslash escapes as MySQL and
 *       PostgreSQL {@code E'..'} strings use them, see {@link SqlDialect}; prefixed {@code N'..'},
 *       {@code E'..'}, {@code U&'..'}, {@code _utf8'..'}, Oracle {@code q'[..]'}), numbers ({@code
 *       42}, {@code 1.}, {@code .5}, {@code 1e-3}, a unary sign included: {@code = -5} becomes
 *       {@code = ?}), hex and binary literals ({@code 0xFF}, {@code X'0F'}, {@code 0b101}, {@code
 *       B'101'}) and PostgreSQL dollar-quoted strings ({@code $$..$$}, {@code $tag$..$tag$}).
 *   <li>Kept as written: keywords, identifiers ({@code col1}, {@code t2.x}, {@code "Weird Name"},
 *       {@code `mysql`}, {@code [sqlserver]}), operators and bind placeholders ({@code ?}, {@code
 *       $1}, {@code :name}, {@code :1}).
 *   <li>A list of values after {@code IN} collapses: {@code IN (?, ?, ?)} becomes {@code IN (?)},
 *       so statements that differ only in list length read the same; a list of one placeholder
 *       keeps it ({@code IN (:ids)}).
 *   <li>Comments ({@code --} to end of line, {@code /* *}{@code /}, not nested, as in MySQL and
 *       Oracle) are dropped; comments and whitespace runs become one space; leading and trailing
 *       space is dropped.
 *   <li>Never throws, on any input. What follows an unterminated string, quoted identifier or
 *       dollar quote becomes one {@code ?}; what follows an unterminated comment is dropped: the
 *       lexer cannot know where the literal ends, so nothing after it is trusted.
 *   <li>One pass over the input, linear time. The text is cut at {@link #MAX_TEXT_LENGTH}
 *       characters and then ends in {@code ...}; lexing stops there too.
 * </ul>
 *
 * <p>Backslashes in strings follow the {@link SqlDialect}: {@code ESCAPE '\'} is a complete string
 * in the standard dialect and {@code 'it\'s'} one string in both.
 *
 * <p>Known limits, each chosen to lose text rather than leak it: digits that start a word ({@code
 * 1table}, legal in MySQL) make the whole word a literal; {@code #} is not a comment; MySQL text
 * such as {@code '\' x'}, sanitized in the standard dialect, ends the string early.
 *
 * <p>The operation and collection of the result come from the token stream (see {@link
 * SanitizedSql}); {@link #batch(List)} combines executed statements as the semantic conventions
 * describe batches.
 */
public final class SqlSanitizer {

  /** Longest sanitized text kept, in characters, before the {@code ...} mark. */
  public static final int MAX_TEXT_LENGTH = 8 * 1024;

  static final String TRUNCATION_MARK = "...";

  private static final String BATCH = "BATCH";
  private static final String JOINER = "; ";
  private static final SanitizedSql EMPTY = new SanitizedSql("", null, null);
  private static final SanitizedSql EMPTY_BATCH = new SanitizedSql("", BATCH, null);

  /**
   * More tokens than the text bound can hold outside collapsed lists, so analysis never misses what
   * the text shows, while a pathological statement cannot make the buffer grow further.
   */
  private static final int MAX_TOKENS = MAX_TEXT_LENGTH;

  private SqlSanitizer() {}

  /** Sanitizes with {@link SqlDialect#STANDARD}: double quotes delimit identifiers. */
  public static SanitizedSql sanitize(String sql) {
    return sanitize(sql, SqlDialect.STANDARD);
  }

  /**
   * Sanitizes {@code sql}, reading quotes and backslashes as {@code dialect} has them (null is
   * {@link SqlDialect#STANDARD}); null or empty SQL gives empty text.
   */
  public static SanitizedSql sanitize(String sql, SqlDialect dialect) {
    if (sql == null || sql.isEmpty()) {
      return EMPTY;
    }
    Lexer lexer = new Lexer(sql, dialect == SqlDialect.MYSQL, MAX_TEXT_LENGTH);
    lexer.run();
    return SqlStatementAnalyzer.analyze(lexer.out.toString(), lexer.tokens);
  }

  /**
   * Describes statements executed as one batch, as the OpenTelemetry semantic conventions do:
   * operation {@code BATCH <OP>} when all statements share an operation, else {@code BATCH}; the
   * collection only when all share it; the text is the distinct texts in first-seen order joined by
   * {@code "; "}, bounded like a single statement's. A batch of one statement is not a batch and
   * returns that statement; null elements are skipped; null or empty gives {@code BATCH} with empty
   * text.
   */
  public static SanitizedSql batch(List<SanitizedSql> statements) {
    if (statements == null) {
      return EMPTY_BATCH;
    }
    SanitizedSql first = null;
    int count = 0;
    boolean sameOperation = true;
    boolean sameCollection = true;
    StringBuilder text = new StringBuilder();
    Set<String> seenTexts = new HashSet<String>();
    boolean textFull = false;
    String previousText = null;
    for (SanitizedSql statement : statements) {
      if (statement == null) {
        continue;
      }
      if (first == null) {
        first = statement;
      } else {
        sameOperation &=
            statement.operation() != null && statement.operation().equals(first.operation());
        sameCollection &=
            statement.collection() != null && statement.collection().equals(first.collection());
      }
      count++;
      String statementText = statement.text();
      // Prepared-statement batches repeat one cached text; comparing identity first skips the set.
      if (!textFull && statementText != previousText && seenTexts.add(statementText)) {
        if (text.length() > 0) {
          text.append(JOINER);
        }
        text.append(statementText);
        if (text.length() > MAX_TEXT_LENGTH) {
          cut(text, MAX_TEXT_LENGTH);
          textFull = true;
        }
      }
      previousText = statementText;
    }
    if (count == 0) {
      return EMPTY_BATCH;
    }
    if (count == 1) {
      return first;
    }
    String operation =
        sameOperation && first.operation() != null ? BATCH + ' ' + first.operation() : BATCH;
    return new SanitizedSql(text.toString(), operation, sameCollection ? first.collection() : null);
  }

  static void cut(StringBuilder text, int maxLength) {
    int cut = maxLength;
    // Never leave half of a surrogate pair before the mark.
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    text.setLength(cut);
    text.append(TRUNCATION_MARK);
  }

  /**
   * The single pass: reads tokens, writes the sanitized text and records the tokens statement
   * analysis needs. One instance per call; not thread-safe.
   */
  private static final class Lexer {

    private static final int LIST_NONE = 0;
    private static final int LIST_AFTER_IN = 1;
    private static final int LIST_EXPECT_VALUE = 2;
    private static final int LIST_AFTER_VALUE = 3;

    /** Keywords after which a sign belongs to the number that follows rather than subtracting. */
    private static final String[] SIGN_PREFIX_KEYWORDS = {
      "SELECT",
      "WHERE",
      "AND",
      "OR",
      "NOT",
      "WHEN",
      "THEN",
      "ELSE",
      "CASE",
      "BY",
      "LIMIT",
      "OFFSET",
      "ON",
      "HAVING",
      "LIKE",
      "BETWEEN",
      "INTERVAL",
      "DEFAULT",
      "RETURN",
      "ALL",
      "ANY",
      "SOME",
      "DISTINCT",
      "IS",
      "VALUES",
      "SET"
    };

    private final String sql;
    private final int length;

    /** MySQL: double quotes delimit strings and backslashes always escape. */
    private final boolean mysql;

    private final int maxLength;
    final StringBuilder out;
    final SqlTokens tokens;

    private boolean pendingSpace;
    private boolean truncated;
    private byte lastKind = END;
    private int lastStart = -1;
    private int lastEnd = -1;

    private int listState = LIST_NONE;
    private int listStart;
    private int listValues;
    private int firstValueStart;
    private int firstValueEnd;

    Lexer(String sql, boolean mysql, int maxLength) {
      this.sql = sql;
      this.length = sql.length();
      this.mysql = mysql;
      this.maxLength = maxLength;
      // Sanitizing never lengthens text, so this is the most the builder needs up to the cut.
      this.out = new StringBuilder(Math.min(length, maxLength) + TRUNCATION_MARK.length() + 1);
      this.tokens = new SqlTokens(sql, MAX_TOKENS);
    }

    void run() {
      int i = 0;
      while (i < length && !truncated) {
        i = next(i);
      }
      // A list still open at the end was exempt from the bound while it might collapse.
      if (!truncated && out.length() > maxLength) {
        truncate();
      }
    }

    /** Consumes the token or gap starting at {@code i}; returns where the next one starts. */
    private int next(int i) {
      char c = sql.charAt(i);
      char following = i + 1 < length ? sql.charAt(i + 1) : 0;
      switch (c) {
        case '\'':
          return quotedLiteral(i, i + 1, '\'', mysql);
        case '"':
          return mysql ? quotedLiteral(i, i + 1, '"', true) : delimitedIdentifier(i, '"');
        case '`':
          return delimitedIdentifier(i, '`');
        case '[':
          return bracket(i);
        case '-':
          return following == '-' ? lineComment(i) : sign(i);
        case '+':
          return sign(i);
        case '/':
          return following == '*' ? blockComment(i) : emit(OTHER, i, i + 1, false);
        case '$':
          return dollar(i);
        case ':':
          return colon(i);
        case '?':
          return emit(VALUE, i, i + 1, false);
        case '.':
          return isDigit(following) && !followsOperand(i)
              ? number(i, i)
              : emit(DOT, i, i + 1, false);
        case '(':
          return emit(OPEN, i, i + 1, false);
        case ')':
          return emit(CLOSE, i, i + 1, false);
        case ',':
          return emit(COMMA, i, i + 1, false);
        case ';':
          return emit(SEMICOLON, i, i + 1, false);
        default:
          if (isDigit(c)) {
            return number(i, i);
          }
          if (isSpace(c)) {
            pendingSpace = true;
            return i + 1;
          }
          if (isWordStart(c)) {
            return word(i);
          }
          return emit(OTHER, i, i + 1, false);
      }
    }

    /**
     * A string literal from {@code contentStart} to its closing quote. With {@code
     * backslashEscapes} a backslash always escapes the next character (MySQL, PostgreSQL {@code
     * E''}); without, {@code \'} escapes only where a letter, digit or quote follows (MySQL text
     * reaching a standard database), else the backslash is a character and the quote closes.
     */
    private int quotedLiteral(
        int tokenStart, int contentStart, char quote, boolean backslashEscapes) {
      int j = contentStart;
      while (j < length) {
        char c = sql.charAt(j);
        if (c == '\\') {
          if (!backslashEscapes && j + 1 < length && sql.charAt(j + 1) == quote) {
            char after = j + 2 < length ? sql.charAt(j + 2) : 0;
            if (!isWordPart(after) && after != quote) {
              return emit(VALUE, tokenStart, j + 2, true);
            }
          }
          j += 2;
        } else if (c == quote) {
          if (j + 1 < length && sql.charAt(j + 1) == quote) {
            j += 2;
          } else {
            return emit(VALUE, tokenStart, j + 1, true);
          }
        } else {
          j++;
        }
      }
      return emit(VALUE, tokenStart, length, true);
    }

    /** Oracle {@code q'[...]'}: the character after the quote picks the closing pair. */
    private int alternativeQuoted(int tokenStart, int afterQuote) {
      if (afterQuote >= length) {
        return emit(VALUE, tokenStart, length, true);
      }
      char open = sql.charAt(afterQuote);
      char close =
          open == '[' ? ']' : open == '{' ? '}' : open == '(' ? ')' : open == '<' ? '>' : open;
      for (int j = afterQuote + 1; j + 1 < length; j++) {
        if (sql.charAt(j) == close && sql.charAt(j + 1) == '\'') {
          return emit(VALUE, tokenStart, j + 2, true);
        }
      }
      return emit(VALUE, tokenStart, length, true);
    }

    private int delimitedIdentifier(int start, char quote) {
      int j = start + 1;
      while (j < length) {
        if (sql.charAt(j) == quote) {
          if (j + 1 < length && sql.charAt(j + 1) == quote) {
            j += 2;
            continue;
          }
          return emit(QUOTED, start, j + 1, false);
        }
        j++;
      }
      // Unterminated: the delimiter may have swallowed literals, so none of the rest is kept.
      return emit(VALUE, start, length, true);
    }

    /**
     * {@code [Order Details]} is a SQL Server identifier, but {@code arr[1]} and {@code ARRAY[1,2]}
     * are PostgreSQL subscripts and constructors whose contents must be lexed; only a closed
     * bracket holding identifier characters, starting with a letter, is an identifier. A failed
     * attempt stops at the first character that is not allowed, so every character is scanned at
     * most twice.
     */
    private int bracket(int start) {
      int j = start + 1;
      if (j < length && isWordStart(sql.charAt(j))) {
        while (j < length) {
          char c = sql.charAt(j);
          if (c == ']') {
            if (j + 1 < length && sql.charAt(j + 1) == ']') {
              j += 2;
              continue;
            }
            return emit(QUOTED, start, j + 1, false);
          }
          if (!isWordPart(c) && c != ' ' && c != '-' && c != '.') {
            break;
          }
          j++;
        }
      }
      return emit(OTHER, start, start + 1, false);
    }

    private int lineComment(int start) {
      int j = start + 2;
      while (j < length && sql.charAt(j) != '\n' && sql.charAt(j) != '\r') {
        j++;
      }
      pendingSpace = true;
      return j;
    }

    private int blockComment(int start) {
      int close = sql.indexOf("*/", start + 2);
      pendingSpace = true;
      return close < 0 ? length : close + 2;
    }

    private int sign(int start) {
      if (signPrefixesNumber()) {
        int j = start + 1;
        while (j < length && isSpace(sql.charAt(j))) {
          j++;
        }
        if (j < length
            && (isDigit(sql.charAt(j))
                || sql.charAt(j) == '.' && j + 1 < length && isDigit(sql.charAt(j + 1)))) {
          return number(start, j);
        }
      }
      return emit(OTHER, start, start + 1, false);
    }

    /** Whether a sign here is unary: nothing before it could be the left operand. */
    private boolean signPrefixesNumber() {
      switch (lastKind) {
        case END:
        case OPEN:
        case COMMA:
        case SEMICOLON:
          return true;
        case OTHER:
          char previous = sql.charAt(lastStart);
          return previous != ']' && previous != '}';
        case WORD:
          for (String keyword : SIGN_PREFIX_KEYWORDS) {
            if (lastEnd - lastStart == keyword.length()
                && sql.regionMatches(true, lastStart, keyword, 0, keyword.length())) {
              return true;
            }
          }
          return false;
        default:
          return false;
      }
    }

    /**
     * Digits, an optional fraction and exponent, then any word characters glued on: hex {@code
     * 0xFF}, binary {@code 0b101}, typed {@code 1.5f} and MySQL names such as {@code 1table} all
     * end up in the literal rather than leaving digits behind.
     */
    private int number(int tokenStart, int digitsStart) {
      int j = skipDigits(digitsStart);
      if (j < length && sql.charAt(j) == '.') {
        j = skipDigits(j + 1);
      }
      if (j < length && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
        int k = j + 1;
        if (k < length && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
          k++;
        }
        if (k < length && isDigit(sql.charAt(k))) {
          j = skipDigits(k);
        }
      }
      while (j < length && isWordPart(sql.charAt(j))) {
        j++;
      }
      return emit(VALUE, tokenStart, j, true);
    }

    private int word(int start) {
      int j = start + 1;
      while (j < length && isWordPart(sql.charAt(j))) {
        j++;
      }
      if (j < length) {
        char next = sql.charAt(j);
        if (next == '\'') {
          if (isAlternativeQuotePrefix(start, j)) {
            return alternativeQuoted(start, j + 1);
          }
          if (isStringPrefix(start, j)) {
            boolean escapeString = j - start == 1 && (sql.charAt(start) | 0x20) == 'e';
            return quotedLiteral(start, j + 1, '\'', mysql || escapeString);
          }
        } else if (next == '&'
            && j - start == 1
            && (sql.charAt(start) | 0x20) == 'u'
            && j + 1 < length
            && sql.charAt(j + 1) == '\'') {
          return quotedLiteral(start, j + 2, '\'', mysql);
        }
      }
      return emit(WORD, start, j, false);
    }

    /** N'', E'', X'', B'', R'' and MySQL charset introducers such as _utf8mb4''. */
    private boolean isStringPrefix(int start, int end) {
      if (end - start == 1) {
        char c = (char) (sql.charAt(start) | 0x20);
        return c == 'n' || c == 'e' || c == 'x' || c == 'b' || c == 'r';
      }
      return sql.charAt(start) == '_';
    }

    private boolean isAlternativeQuotePrefix(int start, int end) {
      int wordLength = end - start;
      return (wordLength == 1 || wordLength == 2 && (sql.charAt(start) | 0x20) == 'n')
          && (sql.charAt(end - 1) | 0x20) == 'q';
    }

    private int dollar(int start) {
      int j = start + 1;
      if (j < length) {
        char c = sql.charAt(j);
        if (isDigit(c)) {
          return emit(VALUE, start, skipDigits(j), false);
        }
        if (c == '$') {
          return dollarQuoted(start, j + 1);
        }
        if (isTagStart(c)) {
          int k = j + 1;
          while (k < length && isTagPart(sql.charAt(k))) {
            k++;
          }
          if (k < length && sql.charAt(k) == '$') {
            return dollarQuoted(start, k + 1);
          }
          return emit(WORD, start, k, false);
        }
      }
      return emit(OTHER, start, start + 1, false);
    }

    private int dollarQuoted(int start, int contentStart) {
      String tag = sql.substring(start, contentStart);
      int close = sql.indexOf(tag, contentStart);
      return emit(VALUE, start, close < 0 ? length : close + tag.length(), true);
    }

    /**
     * {@code :name} and {@code :1} are placeholders, but not in {@code x::int} (a cast), {@code
     * @a:=1} or {@code arr[1:2]}, where the colon follows an operand and the digits are literal.
     */
    private int colon(int start) {
      int j = start + 1;
      if (j < length && sql.charAt(j) == ':') {
        return emit(OTHER, start, j + 1, false);
      }
      if (j < length && !followsOperand(start)) {
        char c = sql.charAt(j);
        if (isTagStart(c)) {
          int k = j + 1;
          while (k < length && isWordPart(sql.charAt(k))) {
            k++;
          }
          return emit(VALUE, start, k, false);
        }
        if (isDigit(c)) {
          return emit(VALUE, start, skipDigits(j), false);
        }
      }
      return emit(OTHER, start, start + 1, false);
    }

    /** Whether the previous token ends right at {@code i} and could be a left operand. */
    private boolean followsOperand(int i) {
      if (lastEnd != i) {
        return false;
      }
      switch (lastKind) {
        case WORD:
        case QUOTED:
        case VALUE:
        case CLOSE:
          return true;
        case OTHER:
          char previous = sql.charAt(lastStart);
          return previous == ']' || previous == '[' || previous == '}';
        default:
          return false;
      }
    }

    /**
     * Writes one token (its text, or {@code ?} when {@code asPlaceholder}), records it for
     * analysis, tracks {@code IN} lists and applies the length bound. Returns {@code end}.
     */
    private int emit(byte kind, int start, int end, boolean asPlaceholder) {
      int state = listState;
      if (state == LIST_EXPECT_VALUE && kind == VALUE) {
        int at = append(start, end, asPlaceholder);
        if (listValues++ == 0) {
          firstValueStart = at;
          firstValueEnd = out.length();
        }
        listState = LIST_AFTER_VALUE;
        remember(kind, start, end);
        return end;
      }
      if (state == LIST_AFTER_VALUE && kind == COMMA) {
        append(start, end, false);
        listState = LIST_EXPECT_VALUE;
        remember(kind, start, end);
        return end;
      }
      if (state == LIST_AFTER_VALUE && kind == CLOSE) {
        String kept = listValues == 1 ? out.substring(firstValueStart, firstValueEnd) : "?";
        out.setLength(listStart);
        out.append(kept);
        pendingSpace = false;
      }
      append(start, end, asPlaceholder);
      listState = LIST_NONE;
      if (kind == OPEN && state == LIST_AFTER_IN) {
        listState = LIST_EXPECT_VALUE;
        listStart = out.length();
        listValues = 0;
      } else if (kind == WORD && end - start == 2 && sql.regionMatches(true, start, "IN", 0, 2)) {
        listState = LIST_AFTER_IN;
      }
      tokens.add(kind, start, end);
      remember(kind, start, end);
      // Inside a list the text may still shrink to "(?)", so the bound waits for the list to end.
      if (listState < LIST_EXPECT_VALUE && out.length() > maxLength) {
        truncate();
      }
      return end;
    }

    private int append(int start, int end, boolean asPlaceholder) {
      if (pendingSpace && out.length() > 0) {
        out.append(' ');
      }
      pendingSpace = false;
      int at = out.length();
      if (asPlaceholder) {
        out.append('?');
      } else {
        out.append(sql, start, end);
      }
      return at;
    }

    private void remember(byte kind, int start, int end) {
      lastKind = kind;
      lastStart = start;
      lastEnd = end;
    }

    private void truncate() {
      cut(out, maxLength);
      truncated = true;
    }

    private int skipDigits(int i) {
      while (i < length && isDigit(sql.charAt(i))) {
        i++;
      }
      return i;
    }
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Control characters count as space so that garbage input cannot smuggle them into text. */
  static boolean isSpace(char c) {
    return c <= ' ' || c >= '\u0080' && (Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  static boolean isWordStart(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c == '_'
        || c == '#'
        || c == '@'
        || c >= '\u0080' && Character.isLetter(c);
  }

  static boolean isWordPart(char c) {
    return isWordStart(c)
        || isDigit(c)
        || c == '$'
        || c >= '\u0080' && Character.isLetterOrDigit(c);
  }

  private static boolean isTagStart(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c == '_'
        || c >= '\u0080' && Character.isLetter(c);
  }

  private static boolean isTagPart(char c) {
    return isTagStart(c) || isDigit(c);
  }
}
