package io.vigil.servlet.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpMethodsTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
  void standardMethodsMapToTheirInternedConstant(String method) {
    // A copy stands for the string the container parsed off the wire.
    String fromTheWire = new String(method.toCharArray());

    String normalized = HttpMethods.normalize(fromTheWire);

    assertEquals(method, normalized);
    assertSame(method.intern(), normalized);
  }

  @Test
  void constantsAreTheOnesReturned() {
    assertSame(HttpMethods.GET, HttpMethods.normalize(new String("GET".toCharArray())));
    assertSame(HttpMethods.PATCH, HttpMethods.normalize(new String("PATCH".toCharArray())));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "get", "Get", "gET", "post", "patch", "QUERY", "PROPFIND", "MKCOL", "PURGE", "", " GET",
        "GET ", "GETX", "G", "GE", "_OTHER", "GET\u0000", "ＧＥＴ",
      })
  void everythingElseIsOther(String method) {
    assertSame(HttpMethods.OTHER, HttpMethods.normalize(method));
  }

  @Test
  void nullIsOther() {
    assertSame(HttpMethods.OTHER, HttpMethods.normalize(null));
  }

  @Test
  void otherIsTheSemanticConventionsValue() {
    assertEquals("_OTHER", HttpMethods.OTHER);
  }

  @Test
  void normalizingAllocatesNothing() {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs per-thread allocation counters");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    String[] methods = {
      new String("GET".toCharArray()), new String("POST".toCharArray()), "get", "BREW"
    };
    for (String method : methods) {
      method.hashCode(); // the container's strings have their hash cached after the first use
    }
    long threadId = Thread.currentThread().getId();
    int returnedOther = 0;

    long before = threads.getThreadAllocatedBytes(threadId);
    for (int i = 0; i < 1_000_000; i++) {
      if (HttpMethods.normalize(methods[i & 3]) == HttpMethods.OTHER) {
        returnedOther++;
      }
    }
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;

    assertEquals(500_000, returnedOther);
    // A single allocation per call would be at least 16 MB; leave room for the counter call.
    assertTrue(allocated < 4096, () -> allocated + " bytes allocated");
  }
}
