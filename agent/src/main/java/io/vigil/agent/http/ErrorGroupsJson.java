package io.vigil.agent.http;

import io.vigil.api.errors.CapturedException;
import io.vigil.api.errors.ErrorGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /errors} document. Messages appear only as templates; the sample stack trace is
 * written as {@code printStackTrace} would, with templates where it writes messages.
 */
final class ErrorGroupsJson {

  private ErrorGroupsJson() {}

  static String write(List<ErrorGroup> groups, int held, int maxGroups) {
    List<Object> items = new ArrayList<Object>(groups.size());
    for (ErrorGroup group : groups) {
      items.add(group(group));
    }
    Map<String, Object> document = new LinkedHashMap<String, Object>();
    document.put("groups", items);
    document.put("returned", groups.size());
    document.put("held", held);
    document.put("maxGroups", maxGroups);
    StringBuilder out = new StringBuilder(1024);
    Json.object(out, document);
    return out.append('\n').toString();
  }

  private static Map<String, Object> group(ErrorGroup group) {
    Map<String, Object> json = new LinkedHashMap<String, Object>();
    json.put("fingerprint", group.fingerprint());
    json.put("type", group.type());
    json.put("message", group.messageTemplate());
    json.put("rootCause", group.rootType());
    json.put("source", group.source());
    json.put("count", group.count());
    json.put("firstSeen", Instant.ofEpochMilli(group.firstSeenMillis()).toString());
    json.put("lastSeen", Instant.ofEpochMilli(group.lastSeenMillis()).toString());
    json.put("routes", group.routes());
    json.put("lastTraceId", group.lastTraceId());
    json.put("serviceVersion", group.serviceVersion());
    if (group.sqlState() != null) {
      json.put("sqlState", group.sqlState());
    }
    if (group.vendorCode() != null) {
      json.put("vendorCode", group.vendorCode());
    }
    json.put("stackTrace", stackTrace(group.sample()));
    return json;
  }

  private static List<Object> stackTrace(List<CapturedException> chain) {
    List<Object> lines = new ArrayList<Object>();
    for (int i = 0; i < chain.size(); i++) {
      CapturedException exception = chain.get(i);
      String head = exception.messageTemplate() == null
          ? exception.type()
          : exception.type() + ": " + exception.messageTemplate();
      lines.add(i == 0 ? head : "Caused by: " + head);
      for (StackTraceElement frame : exception.frames()) {
        lines.add("\tat " + frame);
      }
      if (exception.omittedFrames() > 0) {
        lines.add("\t... " + exception.omittedFrames() + " more");
      }
    }
    return lines;
  }
}
