package io.vigil.jdbc.sql;

/**
 * A statement as it may leave the process: the SQL text with every literal replaced by {@code ?},
 * plus the low-cardinality facts read from it.
 *
 * <ul>
 *   <li>{@link #text()}: the sanitized text, never null (empty when there was nothing to keep), at
 *       most {@link SqlSanitizer#MAX_TEXT_LENGTH} characters plus a trailing {@code ...} when cut.
 *   <li>{@link #operation()}: the OpenTelemetry {@code db.operation.name}, an upper-case keyword
 *       from a fixed set ({@code SELECT}, {@code INSERT}, {@code BATCH INSERT}, ...), or null;
 *       never text from the statement that is not such a keyword, so it is safe as a metric label.
 *   <li>{@link #collection()}: the OpenTelemetry {@code db.collection.name}, the main table as
 *       written (schema-qualified names kept, delimiters removed), or null when unknown.
 * </ul>
 *
 * <p>Immutable and safe to share between threads; instances are cached and reused.
 */
public final class SanitizedSql {

  private final String text;
  private final String operation;
  private final String collection;
  private final String spanName;

  SanitizedSql(String text, String operation, String collection) {
    this.text = text;
    this.operation = operation;
    this.collection = collection;
    // Computed once here so that naming a span per execution allocates nothing.
    this.spanName =
        operation == null ? null : collection == null ? operation : operation + ' ' + collection;
  }

  public String text() {
    return text;
  }

  public String operation() {
    return operation;
  }

  public String collection() {
    return collection;
  }

  /**
   * The client span name the semantic conventions ask for: {@code "{operation} {collection}"}, or
   * just the operation when the collection is unknown; null when the operation is unknown, in which
   * case the caller falls back to the namespace or the system name.
   */
  public String spanName() {
    return spanName;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof SanitizedSql)) {
      return false;
    }
    SanitizedSql that = (SanitizedSql) other;
    return text.equals(that.text)
        && equalOrBothNull(operation, that.operation)
        && equalOrBothNull(collection, that.collection);
  }

  @Override
  public int hashCode() {
    int hash = text.hashCode();
    hash = 31 * hash + (operation == null ? 0 : operation.hashCode());
    return 31 * hash + (collection == null ? 0 : collection.hashCode());
  }

  @Override
  public String toString() {
    return "SanitizedSql{operation="
        + operation
        + ", collection="
        + collection
        + ", text="
        + text
        + '}';
  }

  private static boolean equalOrBothNull(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }
}
