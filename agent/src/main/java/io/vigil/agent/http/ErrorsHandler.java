package io.vigil.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vigil.api.errors.ErrorGroup;
import io.vigil.api.errors.ErrorGroups;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /errors}: the error groups in memory as JSON, most recently seen first. {@code
 * ?since=15m} keeps the groups seen in the last 15 minutes ({@code ms}, {@code s}, {@code m},
 * {@code h}, {@code d}); {@code ?limit=20} the first 20 (default 100). A bad parameter is a 400 that
 * says what is allowed.
 */
public final class ErrorsHandler implements HttpHandler {

  static final int DEFAULT_LIMIT = 100;

  private static final String JSON = "application/json; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final ErrorGroups groups;

  public ErrorsHandler(ErrorGroups groups) {
    this.groups = groups;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (Responses.rejectUnlessRead(exchange)) {
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (!"/errors".equals(path) && !"/errors/".equals(path)) {
        Responses.send(exchange, 404, TEXT, "Not found\n");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      long sinceMillis = 0;
      int limit = DEFAULT_LIMIT;
      if (query.containsKey("since")) {
        long window = durationMillis(query.get("since"));
        if (window < 0) {
          Responses.send(exchange, 400, TEXT, "since must be a duration such as 30s, 15m, 1h or 7d\n");
          return;
        }
        sinceMillis = System.currentTimeMillis() - window;
      }
      if (query.containsKey("limit")) {
        limit = positiveInt(query.get("limit"));
        if (limit < 1) {
          Responses.send(exchange, 400, TEXT, "limit must be a whole number of at least 1\n");
          return;
        }
      }
      List<ErrorGroup> recent = groups.recent(sinceMillis, limit);
      Responses.send(exchange, 200, JSON, ErrorGroupsJson.write(recent, groups.size(), groups.maxGroups()));
    } finally {
      exchange.close();
    }
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<String, String>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return parameters;
  }

  /** Milliseconds of {@code 250ms}, {@code 30s}, {@code 15m}, {@code 2h} or {@code 7d}; -1 if not one. */
  static long durationMillis(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit;
    String number;
    if (t.endsWith("ms")) {
      unit = 1L;
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      unit = 1000L;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unit = 60_000L;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      unit = 3_600_000L;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("d")) {
      unit = 86_400_000L;
      number = t.substring(0, t.length() - 1);
    } else {
      return -1;
    }
    long value = positiveInt(number);
    return value < 0 ? -1 : value * unit;
  }

  /** The whole number, or -1. */
  private static int positiveInt(String text) {
    try {
      int value = Integer.parseInt(text.trim());
      return value >= 0 ? value : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
