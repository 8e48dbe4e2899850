package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ServerSpanNamesTest {

  private final ServerSpanNames names = new ServerSpanNames();

  @Test
  void namesAreMethodAndRouteComposedOnce() {
    String first = names.name("GET", "/owners/{id}");
    assertEquals("GET /owners/{id}", first);
    assertSame(first, names.name("GET", new String("/owners/{id}")));
    assertEquals("POST /owners/{id}", names.name("POST", "/owners/{id}"));
    assertEquals("HTTP /owners/{id}", names.name("_OTHER", "/owners/{id}"), "an unknown method is HTTP");
  }

  @Test
  void staysRightWhenFarMoreRoutesThanSlotsTakeTurns() {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5_000; i++) {
        assertEquals("GET /r/" + i, names.name("GET", "/r/" + i));
        assertEquals("DELETE /r/" + i, names.name("DELETE", "/r/" + i));
      }
    }
  }

  @Test
  void statusCodesAreBoxedOnceInTheirRangeAndStillRightOutsideIt() {
    assertSame(StatusCodes.boxed(200), StatusCodes.boxed(200));
    assertEquals(100L, StatusCodes.boxed(100));
    assertEquals(599L, StatusCodes.boxed(599));
    assertEquals(600L, StatusCodes.boxed(600));
    assertEquals(0L, StatusCodes.boxed(0));
    assertEquals(-1L, StatusCodes.boxed(-1));
  }
}
