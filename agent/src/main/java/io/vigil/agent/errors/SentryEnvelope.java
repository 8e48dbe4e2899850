package io.vigil.agent.errors;

import io.vigil.agent.http.Json;
import io.vigil.api.errors.ApplicationFrames;
import io.vigil.api.errors.CapturedException;
import io.vigil.api.errors.ErrorEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One error event in Sentry's envelope format: an envelope header line, an item header line and
 * the event's JSON. The event carries Vigil's fingerprint (so Sentry groups as {@code /errors}
 * does), the exception chain with message templates only, frames oldest first with {@code in_app}
 * set for the application's own, the trace context, {@code release} (the service version) and
 * {@code environment}.
 */
final class SentryEnvelope {

  static final String CONTENT_TYPE = "application/x-sentry-envelope";

  private final String serviceName;
  private final String environment;
  private final String agentVersion;

  SentryEnvelope(String serviceName, String environment, String agentVersion) {
    this.serviceName = serviceName;
    this.environment = environment;
    this.agentVersion = agentVersion;
  }

  byte[] write(ErrorEvent event, long nowMillis) {
    String eventId = UUID.randomUUID().toString().replace("-", "");
    byte[] payload = json(event(event, eventId)).getBytes(StandardCharsets.UTF_8);
    Map<String, Object> envelopeHeader = new LinkedHashMap<String, Object>();
    envelopeHeader.put("event_id", eventId);
    envelopeHeader.put("sent_at", Instant.ofEpochMilli(nowMillis).toString());
    Map<String, Object> itemHeader = new LinkedHashMap<String, Object>();
    itemHeader.put("type", "event");
    itemHeader.put("length", payload.length);
    itemHeader.put("content_type", "application/json");
    byte[] head = (json(envelopeHeader) + "\n" + json(itemHeader) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] envelope = new byte[head.length + payload.length + 1];
    System.arraycopy(head, 0, envelope, 0, head.length);
    System.arraycopy(payload, 0, envelope, head.length, payload.length);
    envelope[envelope.length - 1] = '\n';
    return envelope;
  }

  Map<String, Object> event(ErrorEvent event, String eventId) {
    Map<String, Object> json = new LinkedHashMap<String, Object>();
    json.put("event_id", eventId);
    json.put("timestamp", Instant.ofEpochMilli(event.timestampMillis()).toString());
    json.put("platform", "java");
    json.put("level", "error");
    json.put("logger", "vigil." + event.source());
    putIfSet(json, "release", event.serviceVersion());
    putIfSet(json, "environment", environment);
    putIfSet(json, "transaction", event.route());
    List<Object> fingerprint = new ArrayList<Object>(1);
    fingerprint.add(event.fingerprint().id());
    json.put("fingerprint", fingerprint);
    Map<String, Object> tags = new LinkedHashMap<String, Object>();
    tags.put("service.name", serviceName);
    tags.put("vigil.source", event.source());
    putIfSet(tags, "http.route", event.route());
    putIfSet(tags, "db.response.status_code", event.fingerprint().sqlState());
    if (event.vendorCode() != null) {
      tags.put("db.vendor_code", String.valueOf(event.vendorCode()));
    }
    json.put("tags", tags);
    if (event.traceId() != null) {
      Map<String, Object> trace = new LinkedHashMap<String, Object>();
      trace.put("type", "trace");
      trace.put("trace_id", event.traceId());
      putIfSet(trace, "span_id", event.spanId());
      trace.put("op", "servlet".equals(event.source()) ? "http.server" : "db");
      Map<String, Object> contexts = new LinkedHashMap<String, Object>();
      contexts.put("trace", trace);
      json.put("contexts", contexts);
    }
    Map<String, Object> exception = new LinkedHashMap<String, Object>();
    exception.put("values", exceptions(event.chain()));
    json.put("exception", exception);
    Map<String, Object> sdk = new LinkedHashMap<String, Object>();
    sdk.put("name", "vigil.java.agent");
    sdk.put("version", agentVersion);
    json.put("sdk", sdk);
    return json;
  }

  /** Sentry wants the chain oldest (the root cause) first; frames too, the caller first. */
  private static List<Object> exceptions(List<CapturedException> chain) {
    List<Object> values = new ArrayList<Object>(chain.size());
    for (int i = chain.size() - 1; i >= 0; i--) {
      CapturedException captured = chain.get(i);
      Map<String, Object> value = new LinkedHashMap<String, Object>();
      String type = captured.type();
      int dot = type.lastIndexOf('.');
      value.put("type", dot < 0 ? type : type.substring(dot + 1));
      if (dot > 0) {
        value.put("module", type.substring(0, dot));
      }
      putIfSet(value, "value", captured.messageTemplate());
      Map<String, Object> stacktrace = new LinkedHashMap<String, Object>();
      stacktrace.put("frames", frames(captured.frames()));
      value.put("stacktrace", stacktrace);
      values.add(value);
    }
    return values;
  }

  private static List<Object> frames(List<StackTraceElement> stack) {
    List<Object> frames = new ArrayList<Object>(stack.size());
    for (int i = stack.size() - 1; i >= 0; i--) {
      StackTraceElement element = stack.get(i);
      Map<String, Object> frame = new LinkedHashMap<String, Object>();
      frame.put("module", element.getClassName());
      frame.put("function", element.getMethodName());
      putIfSet(frame, "filename", element.getFileName());
      if (element.getLineNumber() > 0) {
        frame.put("lineno", element.getLineNumber());
      }
      frame.put("in_app", ApplicationFrames.isApplication(element));
      frames.add(frame);
    }
    return frames;
  }

  private static void putIfSet(Map<String, Object> json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static String json(Map<String, Object> value) {
    StringBuilder out = new StringBuilder(1024);
    Json.object(out, value);
    return out.toString();
  }
}
