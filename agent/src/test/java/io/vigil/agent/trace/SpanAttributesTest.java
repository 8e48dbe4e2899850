package io.vigil.agent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanAttributesTest {

  @Test
  void aKeyOfTheSameNameReplacesTheEarlierValueInItsPlace() {
    SpanAttributes attributes = new SpanAttributes(128);
    attributes.put(AttributeKey.stringKey("http.route"), "/a");
    attributes.put(AttributeKey.longKey("http.response.status_code"), 200L);
    // A different key instance with the same name: what a caller building keys per call does.
    attributes.put(AttributeKey.stringKey(new String("http.route")), "/b");
    List<String> order = new ArrayList<>();
    attributes.forEach((key, value) -> order.add(key.getKey() + "=" + value));
    assertEquals(List.of("http.route=/b", "http.response.status_code=200"), order);
    assertEquals(2, attributes.size());
    assertEquals(2, attributes.totalAdded(), "a replaced value is not a dropped one, as in the SDK");
  }

  @Test
  void aLookupNeedsTheNameAndTheType() {
    SpanAttributes attributes = new SpanAttributes(128);
    attributes.put(AttributeKey.longKey("server.port"), 8080L);
    assertEquals(8080L, attributes.get(AttributeKey.longKey("server.port")));
    assertNull(attributes.get(AttributeKey.stringKey("server.port")));
    assertNull(attributes.get(AttributeKey.longKey("client.port")));
  }

  @Test
  void nullsAndEmptyNamesAreNotKept() {
    SpanAttributes attributes = new SpanAttributes(128);
    attributes.put(AttributeKey.stringKey("url.path"), null);
    attributes.put(AttributeKey.stringKey(""), "x");
    attributes.put(null, "x");
    assertTrue(attributes.isEmpty());
    assertEquals(Attributes.empty().asMap(), attributes.asMap());
  }

  @Test
  void growsPastItsFirstSizeUpToTheLimit() {
    SpanAttributes attributes = new SpanAttributes(20);
    for (int i = 0; i < 25; i++) {
      attributes.put(AttributeKey.longKey("k" + i), (long) i);
    }
    assertEquals(20, attributes.size());
    assertEquals(25, attributes.totalAdded());
    assertEquals(19L, attributes.get(AttributeKey.longKey("k19")));
    assertNull(attributes.get(AttributeKey.longKey("k20")));
    Attributes copy = attributes.toBuilder().build();
    assertEquals(attributes.asMap(), copy.asMap());
  }
}
