package io.vigil.servlet.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComposedRoutesTest {

  private static final List<String> CONTEXTS = Arrays.asList(null, "", "/", "/shop", "shop/", "/shop/");
  private static final List<String> MAPPINGS =
      Arrays.asList(null, "", "/", "/*", "/api/*", "*.do", "/owners", "/owners/*", "owners", "*.");
  private static final List<String> PATTERNS = Arrays.asList(null, "", "/owners/{id}", "owners/{id}", "/**");

  private final ComposedRoutes routes = new ComposedRoutes();

  @Test
  void composesWhatServletRoutesComposes() {
    for (int round = 0; round < 2; round++) { // the second round answers from the table
      for (String context : CONTEXTS) {
        for (String mapping : MAPPINGS) {
          assertEquals(
              ServletRoutes.fromMapping(context, mapping),
              routes.fromMapping(copy(context), copy(mapping)),
              context + " " + mapping);
          for (String pattern : PATTERNS) {
            assertEquals(
                ServletRoutes.withFrameworkPattern(context, mapping, pattern),
                routes.withFrameworkPattern(copy(context), copy(mapping), copy(pattern)),
                context + " " + mapping + " " + pattern);
          }
        }
      }
    }
  }

  @Test
  void aKnownRouteIsTheStringComposedBefore() {
    String first = routes.withFrameworkPattern("/shop", "/api/*", "/owners/{id}");
    assertEquals("/shop/api/owners/{id}", first);
    assertSame(first, routes.withFrameworkPattern(copy("/shop"), copy("/api/*"), copy("/owners/{id}")));

    String mapped = routes.fromMapping("/shop", "/owners/*");
    assertEquals("/shop/owners/*", mapped);
    assertSame(mapped, routes.fromMapping(copy("/shop"), copy("/owners/*")));
  }

  @Test
  void aMappingAndAPatternOfTheSameStringsAreNotConfused() {
    assertEquals("/shop/owners", routes.fromMapping("/shop", "/owners"));
    assertNull(routes.withFrameworkPattern("/shop", "/owners", null));
    assertEquals("/shop/owners", routes.fromMapping("/shop", "/owners"));
  }

  @Test
  void staysRightWhenFarMoreInputsThanSlotsTakeTurns() {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5_000; i++) {
        String pattern = "/items/" + i + "/{id}";
        assertEquals("/ctx/api/items/" + i + "/{id}", routes.withFrameworkPattern("/ctx", "/api/*", pattern));
        assertEquals("/ctx/m" + i, routes.fromMapping("/ctx", "/m" + i));
      }
    }
  }

  private static String copy(String s) {
    return s == null ? null : new String(s);
  }
}
