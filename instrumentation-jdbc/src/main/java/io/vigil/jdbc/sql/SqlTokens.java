package io.vigil.jdbc.sql;

/**
 * The significant tokens of one SQL statement as the lexer saw them, in order: a kind and a source
 * range per token, held in parallel primitive arrays so that recording costs no object per token.
 *
 * <p>Only what statement analysis needs is recorded (the lexer skips the inside of collapsed {@code
 * IN} lists), and never more than a fixed number of tokens, so memory stays bounded for any input.
 * Reads past the last token return {@link #END}, which lets the analyzer look ahead without bounds
 * checks.
 */
final class SqlTokens {

  static final byte END = 0;

  /** An unquoted identifier or keyword; which one is decided by the reader. */
  static final byte WORD = 1;

  /** A delimited identifier: {@code "x"}, {@code `x`} or {@code [x]}, delimiters included. */
  static final byte QUOTED = 2;

  /** A literal (emitted as {@code ?}) or a bind placeholder ({@code ?}, {@code $1}, {@code :n}). */
  static final byte VALUE = 3;

  static final byte OPEN = 4;
  static final byte CLOSE = 5;
  static final byte COMMA = 6;
  static final byte DOT = 7;
  static final byte SEMICOLON = 8;

  /** Operators and other punctuation: one character each, except the {@code ::} cast. */
  static final byte OTHER = 9;

  private final String source;
  private final int limit;
  private byte[] kinds = new byte[32];
  private int[] starts = new int[32];
  private int[] ends = new int[32];
  private int count;

  SqlTokens(String source, int limit) {
    this.source = source;
    this.limit = limit;
  }

  void add(byte kind, int start, int end) {
    if (count == limit) {
      return;
    }
    if (count == kinds.length) {
      int capacity = Math.min(limit, count * 2);
      kinds = java.util.Arrays.copyOf(kinds, capacity);
      starts = java.util.Arrays.copyOf(starts, capacity);
      ends = java.util.Arrays.copyOf(ends, capacity);
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  }

  int count() {
    return count;
  }

  byte kind(int index) {
    return index >= 0 && index < count ? kinds[index] : END;
  }

  /** The first source character of the token, or {@code 0} past the end. */
  char firstChar(int index) {
    return index >= 0 && index < count ? source.charAt(starts[index]) : 0;
  }

  /** Whether the token is the given word, ignoring case; {@code upperCaseWord} is upper case. */
  boolean isWord(int index, String upperCaseWord) {
    if (kind(index) != WORD) {
      return false;
    }
    int start = starts[index];
    int length = ends[index] - start;
    return length == upperCaseWord.length()
        && source.regionMatches(true, start, upperCaseWord, 0, length);
  }

  /** Whether the token is one of the given upper-case words, ignoring case. */
  boolean isAnyWord(int index, String[] upperCaseWords) {
    for (String word : upperCaseWords) {
      if (isWord(index, word)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the element of {@code upperCaseWords} that the token spells, or null. */
  String matchWord(int index, String[] upperCaseWords) {
    for (String word : upperCaseWords) {
      if (isWord(index, word)) {
        return word;
      }
    }
    return null;
  }

  /**
   * Appends the name the token stands for: a word as written, a delimited identifier without its
   * delimiters and with doubled closing delimiters undone ({@code "a""b"} is {@code a"b}).
   */
  void appendName(int index, StringBuilder target) {
    int start = starts[index];
    int end = ends[index];
    if (kinds[index] != QUOTED) {
      target.append(source, start, end);
      return;
    }
    char close = source.charAt(start) == '[' ? ']' : source.charAt(start);
    for (int i = start + 1; i < end - 1; i++) {
      char c = source.charAt(i);
      target.append(c);
      if (c == close) {
        i++;
      }
    }
  }
}
