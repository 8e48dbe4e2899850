package io.vigil.servlet.route;

/**
 * Normalizes a request method to the value of the {@code http_request_method} label: one of the
 * nine methods of RFC 9110 and RFC 5789, or {@value #OTHER}. Methods are case-sensitive (RFC 9110
 * section 9.1), so {@code get} is not {@code GET} and becomes {@value #OTHER}; anything else a
 * client sends would otherwise be an unbounded label value.
 *
 * <p>{@link #normalize} allocates nothing: it returns one of the constants below.
 */
public final class HttpMethods {

  public static final String GET = "GET";
  public static final String HEAD = "HEAD";
  public static final String POST = "POST";
  public static final String PUT = "PUT";
  public static final String DELETE = "DELETE";
  public static final String CONNECT = "CONNECT";
  public static final String OPTIONS = "OPTIONS";
  public static final String TRACE = "TRACE";
  public static final String PATCH = "PATCH";

  /** Every method outside the standard set, and {@code null}. */
  public static final String OTHER = "_OTHER";

  private HttpMethods() {}

  /**
   * Returns the constant equal to {@code method}, or {@value #OTHER}. Never {@code null}, never
   * throws.
   */
  public static String normalize(String method) {
    if (method == null) {
      return OTHER;
    }
    // A switch on strings compares the cached hash code first, then equals(): no allocation.
    switch (method) {
      case GET:
        return GET;
      case HEAD:
        return HEAD;
      case POST:
        return POST;
      case PUT:
        return PUT;
      case DELETE:
        return DELETE;
      case CONNECT:
        return CONNECT;
      case OPTIONS:
        return OPTIONS;
      case TRACE:
        return TRACE;
      case PATCH:
        return PATCH;
      default:
        return OTHER;
    }
  }
}
