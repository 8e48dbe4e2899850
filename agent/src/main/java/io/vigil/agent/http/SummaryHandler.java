package io.vigil.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vigil.agent.summary.SummaryJson;
import io.vigil.agent.summary.SummaryService;
import io.vigil.agent.summary.SummaryWindow;
import io.vigil.api.errors.ErrorGroups;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/summary?window=5m|1h|24h}: what the service did over the window, from the summary
 * ring, with the health exactly as {@code /health} shows it to the same caller. Any other window
 * is a 400 whose JSON names the allowed ones.
 */
public final class SummaryHandler implements HttpHandler {

  private static final String JSON = "application/json; charset=utf-8";

  private final SummaryService summaries;
  private final HealthHandler health;
  private final ErrorGroups groups;
  private final String service;
  private final String version;
  private final long agentStartMillis;
  private final boolean exportEnabled;
  private final Supplier<String> lastExportFailure;

  public SummaryHandler(SummaryService summaries, HealthHandler health, ErrorGroups groups, String service,
      String version, long agentStartMillis, boolean exportEnabled, Supplier<String> lastExportFailure) {
    this.summaries = summaries;
    this.health = health;
    this.groups = groups;
    this.service = service;
    this.version = version;
    this.agentStartMillis = agentStartMillis;
    this.exportEnabled = exportEnabled;
    this.lastExportFailure = lastExportFailure;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (Responses.rejectUnlessRead(exchange)) {
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (!"/api/summary".equals(path) && !"/api/summary/".equals(path)) {
        Responses.send(exchange, 404, "text/plain; charset=utf-8", "Not found\n");
        return;
      }
      Map<String, String> query = ErrorsHandler.query(exchange.getRequestURI().getRawQuery());
      SummaryWindow window = query.containsKey("window")
          ? SummaryWindow.parse(query.get("window"))
          : SummaryWindow.FIVE_MINUTES;
      if (window == null) {
        StringBuilder error = new StringBuilder("{\"error\":");
        String asked = query.get("window");
        // Echoed so the caller sees the typo, cut so the answer stays small whatever was sent.
        Json.string(error, SummaryWindow.ALLOWED + ", not " + (asked.length() > 16 ? asked.substring(0, 16) + "..." : asked));
        Responses.send(exchange, 400, JSON, error.append("}\n").toString());
        return;
      }
      StringBuilder healthJson = new StringBuilder(256);
      health.report(null, health.showDetails(exchange, true), healthJson);
      SummaryService.Summary summary = summaries.query(window);
      SummaryJson.Context context = new SummaryJson.Context(service, version, agentStartMillis,
          new Json.Raw(healthJson.toString()), groups.recent(summary.windowStartMillis(), Integer.MAX_VALUE),
          groups.size(), exportEnabled, lastExportFailure.get());
      Responses.send(exchange, 200, JSON, SummaryJson.write(summary, context));
    } finally {
      exchange.close();
    }
  }
}
