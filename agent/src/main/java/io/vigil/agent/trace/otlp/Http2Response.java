package io.vigil.agent.trace.otlp;

import java.util.Collections;
import java.util.List;

/** What came back on one HTTP/2 stream: header fields, body, trailer fields, or how it ended early. */
final class Http2Response {

  private final List<HeaderField> headers;
  private final List<HeaderField> trailers;
  private final byte[] body;
  private final boolean complete;
  private final long resetCode;
  private final boolean unprocessed;

  Http2Response(
      List<HeaderField> headers,
      List<HeaderField> trailers,
      byte[] body,
      boolean complete,
      long resetCode,
      boolean unprocessed) {
    this.headers = headers == null ? Collections.<HeaderField>emptyList() : headers;
    this.trailers = trailers == null ? Collections.<HeaderField>emptyList() : trailers;
    this.body = body;
    this.complete = complete;
    this.resetCode = resetCode;
    this.unprocessed = unprocessed;
  }

  /** Whether the server ended the stream normally (END_STREAM), whatever the status. */
  boolean complete() {
    return complete;
  }

  /** The RST_STREAM error code that ended an incomplete stream, or -1. */
  long resetCode() {
    return resetCode;
  }

  /**
   * Whether the server guaranteed that it did not process the request (a GOAWAY whose last stream
   * id is below this stream's, or REFUSED_STREAM): sending it again cannot duplicate it.
   */
  boolean unprocessed() {
    return unprocessed;
  }

  byte[] body() {
    return body;
  }

  /** The value of a header field, from the trailers first, then the headers; null if absent. */
  String value(String name) {
    String value = find(trailers, name);
    return value != null ? value : find(headers, name);
  }

  /** The value of a field of the (first, non-informational) header block; null if absent. */
  String header(String name) {
    return find(headers, name);
  }

  private static String find(List<HeaderField> fields, String name) {
    for (HeaderField field : fields) {
      if (field.name.equals(name)) {
        return field.value;
      }
    }
    return null;
  }
}
