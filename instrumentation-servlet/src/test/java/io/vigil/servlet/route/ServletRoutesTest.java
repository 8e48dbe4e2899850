package io.vigil.servlet.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServletRoutesTest {

  // In these tables an empty cell is null and '' is the empty string.

  @ParameterizedTest(name = "[{index}] context={0} pattern={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''      | /login    | /login
                  | /login    | /login
          /shop   | /login    | /shop/login
          /shop/  | /login    | /shop/login
          shop    | /login    | /shop/login
          /       | /login    | /login
          ''      | /items/*  | /items/*
          /shop   | /items/*  | /shop/items/*
          ''      | *.do      | /*.do
          /shop   | *.do      | /shop/*.do
          ''      | ''        | /
                  | ''        | /
          /shop   | ''        | /shop
          ''      | /         |
          /shop   | /         |
          ''      | /*        |
          /shop   | /*        |
          /shop   |           |
          ''      | login     |
          ''      | *.        |
          ''      | *         |
          """)
  void fromMappingPrefixesTheContextPath(String contextPath, String pattern, String expected) {
    assertEquals(expected, ServletRoutes.fromMapping(contextPath, pattern));
  }

  static Stream<Arguments> servletThreeRequests() {
    return Stream.of(
        // servletPath, pathInfo, registered mappings, matching pattern
        Arguments.of("/items", "/42", List.of("/items/*"), "/items/*"),
        Arguments.of("/items", null, List.of("/items/*"), "/items/*"),
        Arguments.of("/items", "/42", List.of("/login", "/items/*"), "/items/*"),
        Arguments.of("", "/owners/1", List.of("/*"), "/*"),
        Arguments.of(null, "/owners/1", List.of("/*"), "/*"),
        Arguments.of("/login", null, List.of("/login", "/signin"), "/login"),
        Arguments.of("/signin", null, List.of("/login", "/signin"), "/signin"),
        Arguments.of("/app/orders.do", null, List.of("*.do"), "*.do"),
        Arguments.of("/orders.do", null, List.of("*.jsp", "*.do"), "*.do"),
        Arguments.of("/index.jsp", null, List.of("*.jsp", "*.jspx"), "*.jsp"),
        Arguments.of("/index.html", null, List.of("/"), "/"),
        Arguments.of("/", null, List.of("/"), "/"),
        Arguments.of("/orders.do", null, List.of("/", "*.do"), "*.do"),
        Arguments.of("", "/", List.of(""), ""),
        Arguments.of("", null, List.of(""), ""),
        Arguments.of("/other", null, List.of("/login"), null),
        Arguments.of("/orders.dox", null, List.of("*.do"), null),
        Arguments.of("/.do", null, List.of("*.do"), null),
        Arguments.of("/api", "/x", List.of("/login"), null),
        Arguments.of("/api", "/x", List.of("/"), null),
        Arguments.of("/login", null, Collections.emptyList(), null),
        Arguments.of("/login", null, null, null),
        Arguments.of("/x.do", null, Arrays.asList(null, "*.do"), "*.do"));
  }

  @ParameterizedTest(name = "[{index}] servletPath={0} pathInfo={1} mappings={2} -> {3}")
  @MethodSource("servletThreeRequests")
  void inferPatternFindsTheMappingThatMatched(
      String servletPath, String pathInfo, List<String> mappings, String expected) {
    assertEquals(expected, ServletRoutes.inferPattern(servletPath, pathInfo, mappings));
  }

  @ParameterizedTest(name = "[{index}] context={0} servlet={1} framework={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''          | /        | /owners/{ownerId}  | /owners/{ownerId}
          /petclinic  | /        | /owners/{ownerId}  | /petclinic/owners/{ownerId}
          /shop       | /api/*   | /owners/{ownerId}  | /shop/api/owners/{ownerId}
          ''          | /api/*   | /owners            | /api/owners
          ''          | /*       | /owners            | /owners
          ''          | *.do     | /owners.do         | /owners.do
          /shop       | /        | /**                | /shop/**
          /shop/      | /        | /static/**         | /shop/static/**
          ''          | /        | owners             | /owners
                      |          | /x                 | /x
          ''          | /        | ''                 |
          ''          | /        |                    |
          """)
  void withFrameworkPatternPrefixesContextAndServletPath(
      String contextPath, String servletPattern, String frameworkPattern, String expected) {
    String route =
        ServletRoutes.withFrameworkPattern(contextPath, servletPattern, frameworkPattern);
    assertEquals(expected, route);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "org.apache.catalina.servlets.DefaultServlet",
        "org.eclipse.jetty.servlet.DefaultServlet",
        "org.eclipse.jetty.ee10.servlet.DefaultServlet",
        "org.eclipse.jetty.ee10.servlet.ResourceServlet",
        "org.eclipse.jetty.servlet.ServletHandler$Default404Servlet",
        "org.eclipse.jetty.ee10.servlet.ServletHandler$Default404Servlet",
        "io.undertow.servlet.handlers.DefaultServlet",
      })
  void containerDefaultServletsAreRecognized(String servletClassName) {
    assertTrue(ServletRoutes.isContainerDefaultServlet(servletClassName));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "com.acme.DefaultServlet",
        "DefaultServlet",
        "org.springframework.web.servlet.DispatcherServlet",
        "org.apache.jasper.servlet.JspServlet",
        "org.apache.catalina.servlets.DefaultServletX",
        "org.apache.catalina.servlets.MyDefaultServlet",
        "org.glassfish.jersey.servlet.ServletContainer",
        "",
      })
  void otherServletsAreApplicationCode(String servletClassName) {
    assertFalse(ServletRoutes.isContainerDefaultServlet(servletClassName));
  }

  @Test
  void nullServletClassIsNotTheDefaultServlet() {
    assertFalse(ServletRoutes.isContainerDefaultServlet(null));
  }

  @ParameterizedTest(name = "[{index}] framework={0} servlet={1} uri={2} handled={3} {4} -> {5}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /owners/{ownerId} |           | /owners/42       | true  | 200 | /owners/{ownerId}
          /owners/{ownerId} | /app/*    | /app/owners/42   | true  | 200 | /owners/{ownerId}
          /owners/{ownerId} |           | /owners/42       | true  | 404 | /owners/{ownerId}
          ''                | /login    | /login           | true  | 200 | /login
                            | /login    | /login           | true  | 404 | /login
                            | /login    | /login           | false | 200 | /login
                            | /items/*  | /items/42        | true  | 200 | /items/*
                            | /*.do     | /a/b.do          | true  | 500 | /*.do
                            |           | /owners/42       | true  | 200 | /owners/{id}
                            |           | /owners/42       | true  | 500 | /owners/{id}
                            |           | /owners/42       | true  | 401 | /**
                            |           | /owners/42       | true  | 403 | /**
                            |           | /owners/42       | true  | 405 | /**
                            |           | /owners/42       | true  | 399 | /owners/{id}
                            | /admin/*  | /admin/42        | true  | 401 | /admin/*
                            | ''        | /owners/42       | true  | 200 | /owners/{id}
                            |           | /owners/42       | true  | 404 | /**
                            |           | /static/app.css  | false | 200 | /**
                            |           | /static/app.css  | false | 304 | /**
                            |           | /nope            | false | 404 | /**
                            |           |                  | true  | 200 | /
                            |           |                  | false | 200 | /**
          """)
  void chooseAppliesTheDecisionInOrder(
      String frameworkRoute,
      String servletRoute,
      String requestUri,
      boolean handledByApplication,
      int status,
      String expected) {
    String route =
        ServletRoutes.choose(
            frameworkRoute, servletRoute, requestUri, handledByApplication, status);
    assertEquals(expected, route);
  }

  @Test
  void springDispatcherAtTheRootUsesTheHandlerPattern() {
    String servletPattern = "/"; // Spring Boot maps DispatcherServlet to the default mapping
    String route =
        ServletRoutes.choose(
            ServletRoutes.withFrameworkPattern("/petclinic", servletPattern, "/owners/{ownerId}"),
            ServletRoutes.fromMapping("/petclinic", servletPattern),
            "/petclinic/owners/42",
            true,
            200);
    assertEquals("/petclinic/owners/{ownerId}", route);
  }

  @Test
  void springDispatcherWithoutAHandlerDoesNotMintRoutes() {
    // No handler: Spring sets no pattern and answers 404.
    String route =
        ServletRoutes.choose(
            ServletRoutes.withFrameworkPattern("/petclinic", "/", null),
            ServletRoutes.fromMapping("/petclinic", "/"),
            "/petclinic/wp-admin/setup.php",
            true,
            404);
    assertEquals(ServletRoutes.UNMATCHED, route);
  }

  @Test
  void plainServletAtTheRootFallsBackToFolding() {
    String route =
        ServletRoutes.choose(
            null, ServletRoutes.fromMapping("/shop", "/*"), "/shop/orders/1234/lines/2", true, 200);
    assertEquals("/shop/orders/{id}/lines/{id}", route);
  }

  @Test
  void servletThreeContainerGoesThroughInference() {
    Set<String> mappings = new LinkedHashSet<>(List.of("/api/*", "/api"));
    String pattern = ServletRoutes.inferPattern("/api", "/owners/7", mappings);
    String route =
        ServletRoutes.choose(
            null, ServletRoutes.fromMapping("/shop", pattern), "/shop/api/owners/7", true, 200);
    assertEquals("/shop/api/*", route);
  }

  @Test
  void scannerProbesAndStaticFilesShareOneRoute() {
    Random random = new Random(3);
    Set<String> routes = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String probe = "/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "/admin.php";
      routes.add(ServletRoutes.choose(null, null, probe, true, 404)); // app servlet said 404
      routes.add(ServletRoutes.choose(null, null, probe, false, 404)); // container said 404
      routes.add(ServletRoutes.choose(null, null, "/img/" + i + ".png", false, 200)); // static
    }
    assertEquals(Set.of(ServletRoutes.UNMATCHED), routes);
  }
}
