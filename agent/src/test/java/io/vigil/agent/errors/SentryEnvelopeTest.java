package io.vigil.agent.errors;

import static io.vigil.agent.errors.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.errors.ErrorEvent;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The envelope's three lines and the event's fields, read back as JSON. */
class SentryEnvelopeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Events events = new Events();
  private final SentryEnvelope envelope = new SentryEnvelope("shop", "production", "0.9.1");

  private static String[] lines(byte[] envelope) {
    String text = new String(envelope, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"));
    return text.split("\n");
  }

  @Test
  void aServletErrorWithItsCauseTraceReleaseAndEnvironment() throws Exception {
    Exception cause = at(new IllegalArgumentException("bad id 'x17'"), "java.lang.Long.parseLong:700",
        "com.example.shop.Ids.parse:12");
    Exception error = at(new IllegalStateException("Order 17 of jane@example.com failed", cause),
        "com.example.shop.Orders.checkout:40", "org.springframework.web.servlet.DispatcherServlet.doDispatch:1089");
    ErrorEvent event = events.servlet(error, "/orders/{id}", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");

    String[] lines = lines(envelope.write(event, Events.NOW + 5));
    assertEquals(3, lines.length);
    JsonNode header = JSON.readTree(lines[0]);
    JsonNode item = JSON.readTree(lines[1]);
    JsonNode payload = JSON.readTree(lines[2]);
    assertTrue(header.get("event_id").asText().matches("[0-9a-f]{32}"), header.toString());
    assertEquals(header.get("event_id"), payload.get("event_id"));
    assertEquals("2025-12-02T12:53:20.005Z", header.get("sent_at").asText());
    assertEquals("event", item.get("type").asText());
    assertEquals(lines[2].getBytes(StandardCharsets.UTF_8).length, item.get("length").asInt());

    assertEquals("2025-12-02T12:53:20Z", payload.get("timestamp").asText());
    assertEquals("java", payload.get("platform").asText());
    assertEquals("error", payload.get("level").asText());
    assertEquals("2.4.0", payload.get("release").asText());
    assertEquals("production", payload.get("environment").asText());
    assertEquals("/orders/{id}", payload.get("transaction").asText());
    assertEquals(event.fingerprint().id(), payload.get("fingerprint").get(0).asText());
    assertEquals(1, payload.get("fingerprint").size());
    assertEquals("shop", payload.get("tags").get("service.name").asText());
    assertEquals("servlet", payload.get("tags").get("vigil.source").asText());
    JsonNode trace = payload.get("contexts").get("trace");
    assertEquals("0af7651916cd43dd8448eb211c80319c", trace.get("trace_id").asText());
    assertEquals("b7ad6b7169203331", trace.get("span_id").asText());
    assertEquals("http.server", trace.get("op").asText());
    assertEquals("vigil.java.agent", payload.get("sdk").get("name").asText());

    JsonNode values = payload.get("exception").get("values");
    assertEquals(2, values.size());
    // Oldest first: the cause, then the exception that wraps it.
    assertEquals("IllegalArgumentException", values.get(0).get("type").asText());
    assertEquals("java.lang", values.get(0).get("module").asText());
    assertEquals("bad id '<str>'", values.get(0).get("value").asText());
    assertEquals("IllegalStateException", values.get(1).get("type").asText());
    assertEquals("Order <num> of <email> failed", values.get(1).get("value").asText());
    JsonNode frames = values.get(1).get("stacktrace").get("frames");
    assertEquals("org.springframework.web.servlet.DispatcherServlet", frames.get(0).get("module").asText());
    assertFalse(frames.get(0).get("in_app").asBoolean());
    assertEquals("com.example.shop.Orders", frames.get(1).get("module").asText());
    assertEquals("checkout", frames.get(1).get("function").asText());
    assertEquals("Orders.java", frames.get(1).get("filename").asText());
    assertEquals(40, frames.get(1).get("lineno").asInt());
    assertTrue(frames.get(1).get("in_app").asBoolean());
    assertFalse(payload.toString().contains("jane@example.com"));
    assertFalse(payload.toString().contains("x17"));
  }

  @Test
  void aJdbcErrorCarriesItsSqlStateAndVendorCodeAndNoRouteYet() throws Exception {
    SQLException error = at(new SQLException("Table \"T\" not found", "42S02", 42102),
        "org.h2.jdbc.JdbcStatement.executeQuery:100", "com.example.Reports.run:10");
    JsonNode payload = JSON.readTree(lines(envelope.write(events.jdbc(error, "0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7"), Events.NOW))[2]);
    assertEquals("42S02", payload.get("tags").get("db.response.status_code").asText());
    assertEquals("42102", payload.get("tags").get("db.vendor_code").asText());
    assertEquals("db", payload.get("contexts").get("trace").get("op").asText());
    assertFalse(payload.has("transaction"));
    assertEquals("Table \"<str>\" not found", payload.get("exception").get("values").get(0).get("value").asText());
  }

  @Test
  void withoutTraceOrEnvironmentThoseFieldsAreLeftOut() throws Exception {
    SentryEnvelope plain = new SentryEnvelope("shop", null, "0.9.1");
    JsonNode payload = JSON.readTree(lines(plain.write(
        events.servlet(at(new IllegalStateException(), "com.example.A.a:1"), "/a", null, null), Events.NOW))[2]);
    assertFalse(payload.has("environment"));
    assertFalse(payload.has("contexts"));
    assertFalse(payload.get("exception").get("values").get(0).has("value"));
  }
}
