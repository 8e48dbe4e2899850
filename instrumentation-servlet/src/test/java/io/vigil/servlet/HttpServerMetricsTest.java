package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prometheus.client.CollectorRegistry;
import org.junit.jupiter.api.Test;

class HttpServerMetricsTest {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final HttpServerMetrics metrics = new HttpServerMetrics(registry, 2);

  private Double count(String route, String status, String error) {
    return registry.getSampleValue("http_server_request_duration_seconds_count",
        new String[] {"http_request_method", "http_route", "http_response_status_code", "error_type"},
        new String[] {"GET", route, status, error});
  }

  @Test
  void recordsIntoTheDesignBuckets() {
    metrics.record("GET", "/a", 200, "", 0.3, null, null);
    metrics.record("GET", "/a", 200, "", 0.01, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    assertEquals(2.0, count("/a", "200", ""));
    String[] names = {"http_request_method", "http_route", "http_response_status_code", "error_type", "le"};
    assertEquals(1.0, registry.getSampleValue("http_server_request_duration_seconds_bucket", names,
        new String[] {"GET", "/a", "200", "", "0.25"}));
    assertEquals(2.0, registry.getSampleValue("http_server_request_duration_seconds_bucket", names,
        new String[] {"GET", "/a", "200", "", "0.5"}));
  }

  @Test
  void cachesChildrenUpToTheBoundAndStaysCorrectBeyondIt() {
    assertSame(metrics.child("GET", "/a", 200, ""), metrics.child("GET", "/a", 200, ""));
    metrics.record("GET", "/b", 500, "500", 0.1, null, null);
    metrics.record("GET", "/c", 404, "", 0.1, null, null);
    metrics.record("GET", "/c", 404, "", 0.1, null, null);
    assertEquals(2, metrics.cachedChildren());
    assertEquals(2.0, count("/c", "404", ""));
    assertEquals(1.0, count("/b", "500", "500"));
  }

  @Test
  void outOfRangeStatusIsOther() {
    metrics.record("GET", "/a", 42, "", 0.1, null, null);
    assertEquals(1.0, count("/a", "_OTHER", ""));
    assertNull(count("/a", "42", ""));
  }

  @Test
  void activeGaugePerMethod() {
    metrics.active("GET").inc();
    assertSame(metrics.active("GET"), metrics.active("GET"));
    assertEquals(1.0, registry.getSampleValue("http_server_active_requests",
        new String[] {"http_request_method"}, new String[] {"GET"}));
  }

  @Test
  void protocolVersions() {
    assertEquals("1.1", ServletRequestTracker.protocolVersion("HTTP/1.1"));
    assertEquals("1.0", ServletRequestTracker.protocolVersion("HTTP/1.0"));
    assertEquals("2", ServletRequestTracker.protocolVersion("HTTP/2.0"));
    assertEquals("2", ServletRequestTracker.protocolVersion("HTTP/2"));
    assertEquals("3", ServletRequestTracker.protocolVersion("HTTP/3.0"));
    assertEquals("0.9", ServletRequestTracker.protocolVersion("HTTP/0.9"));
    assertSame(ServletRequestTracker.protocolVersion("HTTP/1.1"), ServletRequestTracker.protocolVersion(new String("HTTP/1.1")));
    assertNull(ServletRequestTracker.protocolVersion("SPDY/3"));
    assertNull(ServletRequestTracker.protocolVersion(null));
  }
}
