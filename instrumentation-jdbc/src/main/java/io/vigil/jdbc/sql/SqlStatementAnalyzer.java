package io.vigil.jdbc.sql;

import static io.vigil.jdbc.sql.SqlTokens.CLOSE;
import static io.vigil.jdbc.sql.SqlTokens.DOT;
import static io.vigil.jdbc.sql.SqlTokens.OPEN;
import static io.vigil.jdbc.sql.SqlTokens.OTHER;
import static io.vigil.jdbc.sql.SqlTokens.QUOTED;
import static io.vigil.jdbc.sql.SqlTokens.SEMICOLON;
import static io.vigil.jdbc.sql.SqlTokens.VALUE;
import static io.vigil.jdbc.sql.SqlTokens.WORD;

/**
 * Reads the operation and the main table from a statement's tokens.
 *
 * <p>The operation is only ever one of {@link #OPERATIONS}, so arbitrary input cannot add label
 * values. For {@code WITH} the operation is the verb of the main statement that follows the common
 * table expressions ({@code WITH x AS (...) SELECT ... FROM x} is a {@code SELECT} from {@code x}),
 * and {@code WITH} itself when there is none. The collection rules:
 *
 * <ul>
 *   <li>{@code SELECT}: the first table after the statement's own {@code FROM} (not one inside
 *       parentheses); null for a subquery or a table function.
 *   <li>{@code INSERT [INTO]}, {@code REPLACE}, {@code UPSERT}, {@code UPDATE}, {@code DELETE
 *       [FROM]}, {@code MERGE [INTO]}, {@code TRUNCATE [TABLE]}: the target table.
 *   <li>{@code CREATE|DROP|ALTER [modifiers] TABLE [IF [NOT] EXISTS]}: the table; null for other
 *       objects (indexes, views, ...).
 *   <li>Everything else, {@code CALL} included (a procedure is not a collection): null.
 * </ul>
 */
final class SqlStatementAnalyzer {

  /** Longer names are more likely garbage than tables, and would be poor labels anyway. */
  static final int MAX_COLLECTION_LENGTH = 255;

  private static final String[] OPERATIONS = {
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "MERGE",
    "UPSERT",
    "REPLACE",
    "WITH",
    "CALL",
    "EXEC",
    "EXECUTE",
    "CREATE",
    "DROP",
    "ALTER",
    "TRUNCATE",
    "RENAME",
    "COMMENT",
    "GRANT",
    "REVOKE",
    "EXPLAIN",
    "ANALYZE",
    "DESCRIBE",
    "DESC",
    "SHOW",
    "SET",
    "USE",
    "BEGIN",
    "START",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "LOCK",
    "UNLOCK",
    "VALUES",
    "COPY",
    "DECLARE",
    "PREPARE",
    "DEALLOCATE",
    "FETCH",
    "CLOSE",
    "VACUUM",
    "REFRESH",
    "LOAD",
    "DO",
    "LISTEN",
    "NOTIFY",
    "PRAGMA"
  };

  private static final String[] MAIN_VERBS = {"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"};

  private static final String[] INSERT_NOISE = {
    "INTO",
    "IGNORE",
    "LOW_PRIORITY",
    "DELAYED",
    "HIGH_PRIORITY",
    "OR",
    "REPLACE",
    "ROLLBACK",
    "ABORT",
    "FAIL",
    "ALL",
    "FIRST",
    "OVERWRITE",
    "TABLE"
  };
  private static final String[] UPDATE_NOISE = {
    "ONLY", "LOW_PRIORITY", "IGNORE", "OR", "ROLLBACK", "ABORT", "REPLACE", "FAIL"
  };
  private static final String[] DELETE_NOISE = {"FROM", "ONLY", "LOW_PRIORITY", "QUICK", "IGNORE"};
  private static final String[] MERGE_NOISE = {"INTO"};
  private static final String[] TRUNCATE_NOISE = {"TABLE", "ONLY"};
  private static final String[] TABLE_MODIFIERS = {
    "OR",
    "REPLACE",
    "TEMPORARY",
    "TEMP",
    "GLOBAL",
    "LOCAL",
    "UNLOGGED",
    "EXTERNAL",
    "VIRTUAL",
    "MEMORY",
    "CACHED",
    "TRANSIENT",
    "VOLATILE"
  };
  private static final String[] TABLE_NOISE = {"IF", "NOT", "EXISTS", "ONLY"};
  private static final String[] FROM_NOISE = {"ONLY"};

  /** How many braces, brackets and placeholders may precede the verb: {@code {? = call p}}. */
  private static final int MAX_LEADING_TOKENS = 8;

  private SqlStatementAnalyzer() {}

  static SanitizedSql analyze(String text, SqlTokens tokens) {
    int verb = firstWord(tokens);
    String operation = verb < 0 ? null : tokens.matchWord(verb, OPERATIONS);
    if (operation == null) {
      return new SanitizedSql(text, null, null);
    }
    if (operation.equals("WITH")) {
      int mainVerb = mainVerbAfterWith(tokens, verb);
      if (mainVerb < 0) {
        return new SanitizedSql(text, operation, null);
      }
      verb = mainVerb;
      operation = tokens.matchWord(mainVerb, MAIN_VERBS);
    }
    return new SanitizedSql(text, operation, collection(tokens, operation, verb));
  }

  private static int firstWord(SqlTokens tokens) {
    for (int i = 0; i < MAX_LEADING_TOKENS; i++) {
      byte kind = tokens.kind(i);
      if (kind == WORD) {
        return i;
      }
      boolean leadingPunctuation =
          kind == OPEN || kind == OTHER || kind == VALUE && tokens.firstChar(i) == '?';
      if (!leadingPunctuation) {
        return -1;
      }
    }
    return -1;
  }

  private static int mainVerbAfterWith(SqlTokens tokens, int with) {
    int depth = 0;
    for (int i = with + 1; i < tokens.count(); i++) {
      byte kind = tokens.kind(i);
      if (kind == OPEN) {
        depth++;
      } else if (kind == CLOSE) {
        if (--depth < 0) {
          return -1;
        }
      } else if (kind == SEMICOLON && depth == 0) {
        return -1;
      } else if (depth == 0 && tokens.isAnyWord(i, MAIN_VERBS)) {
        return i;
      }
    }
    return -1;
  }

  private static String collection(SqlTokens tokens, String operation, int verb) {
    switch (operation) {
      case "SELECT":
        return selectFrom(tokens, verb);
      case "INSERT":
      case "REPLACE":
      case "UPSERT":
        return name(tokens, skip(tokens, verb + 1, INSERT_NOISE), false);
      case "UPDATE":
        return name(tokens, skip(tokens, verb + 1, UPDATE_NOISE), false);
      case "DELETE":
        return name(tokens, skip(tokens, verb + 1, DELETE_NOISE), false);
      case "MERGE":
        return name(tokens, skip(tokens, verb + 1, MERGE_NOISE), false);
      case "TRUNCATE":
        return name(tokens, skip(tokens, verb + 1, TRUNCATE_NOISE), false);
      case "CREATE":
      case "DROP":
      case "ALTER":
        int table = skip(tokens, verb + 1, TABLE_MODIFIERS);
        return tokens.isWord(table, "TABLE")
            ? name(tokens, skip(tokens, table + 1, TABLE_NOISE), false)
            : null;
      default:
        return null;
    }
  }

  private static String selectFrom(SqlTokens tokens, int select) {
    int depth = 0;
    for (int i = select + 1; i < tokens.count(); i++) {
      byte kind = tokens.kind(i);
      if (kind == OPEN) {
        depth++;
      } else if (kind == CLOSE) {
        if (--depth < 0) {
          return null;
        }
      } else if (kind == SEMICOLON && depth == 0) {
        return null;
      } else if (depth == 0 && tokens.isWord(i, "FROM") && !tokens.isWord(i - 1, "DISTINCT")) {
        // IS DISTINCT FROM compares; it does not name a table.
        return name(tokens, skip(tokens, i + 1, FROM_NOISE), true);
      }
    }
    return null;
  }

  /**
   * Skips words from {@code noise}, but never the last name-like token: in {@code UPDATE only SET
   * ...} nothing is skipped because no name would follow.
   */
  private static int skip(SqlTokens tokens, int index, String[] noise) {
    while (tokens.isAnyWord(index, noise) && isNamePart(tokens, index + 1)) {
      index++;
    }
    return index;
  }

  /**
   * Reads a possibly qualified name starting at {@code index}; with {@code rejectCall}, a name
   * followed by {@code (} is a table function ({@code FROM generate_series(...)}) and gives null.
   */
  private static String name(SqlTokens tokens, int index, boolean rejectCall) {
    if (!isNamePart(tokens, index)) {
      return null;
    }
    StringBuilder name = new StringBuilder();
    tokens.appendName(index, name);
    index++;
    while (tokens.kind(index) == DOT && isNamePart(tokens, index + 1)) {
      name.append('.');
      tokens.appendName(index + 1, name);
      index += 2;
    }
    if (rejectCall && tokens.kind(index) == OPEN) {
      return null;
    }
    if (name.length() == 0 || name.length() > MAX_COLLECTION_LENGTH) {
      return null;
    }
    return name.toString();
  }

  private static boolean isNamePart(SqlTokens tokens, int index) {
    byte kind = tokens.kind(index);
    return kind == WORD || kind == QUOTED;
  }
}
