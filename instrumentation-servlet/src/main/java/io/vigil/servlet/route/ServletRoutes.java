package io.vigil.servlet.route;

import java.util.Collection;

/**
 * Decides the {@code http_route} of a servlet request from plain strings, so that the servlet
 * advice (javax and jakarta alike) only has to read a few request properties and call {@link
 * #choose}.
 *
 * <h2>Decision, first that applies</h2>
 *
 * <ol>
 *   <li>The framework's matched pattern, made absolute by {@link #withFrameworkPattern} (Spring
 *       MVC's best-matching-pattern request attribute: {@code /shop/owners/{ownerId}}).
 *   <li>The servlet mapping that matched, made absolute by {@link #fromMapping}: {@code
 *       /shop/login}, {@code /shop/items/*}, {@code /shop/*.do}.
 *   <li>{@value #UNMATCHED} when no application route matched and either no application code
 *       handled the request (the container's default servlet served a static file or answered 404)
 *       or the response is a client error (4xx): a front controller's 404, a security filter's 401
 *       or 403 before dispatch, a 405. Those paths are the client's choice, not the
 *       application's, so scanners probing random paths never mint routes.
 *   <li>Otherwise the request URI folded by {@link PathTemplates#fold}: {@code
 *       /shop/owners/{id}}.
 * </ol>
 *
 * <p>The first two are the application's own routes ({@link #applicationRoute}); {@link
 * RouteBudgets} keeps them apart from folded paths so that no flood of folded paths can take the
 * place of a route the application defined.
 *
 * <p>Every route includes the context path, so two web applications in one container never
 * share a route. Catch-all mappings ({@code /}, {@code /*}) name no route of their own: they map
 * every path to one value that says nothing, so they defer to the framework pattern or to
 * folding.
 *
 * <p>All methods are pure, thread-safe, accept {@code null} anywhere and never throw. {@link
 * #fromMapping} and {@link #withFrameworkPattern} concatenate; callers on the hot path may cache
 * their results per servlet and pattern.
 */
public final class ServletRoutes {

  /**
   * The one route of every request that no application route matched and that is not worth a
   * folded path: static resources served by the container's default servlet, 404s, and every other
   * client error answered without an application route. Matches Spring MVC's own pattern for resource
   * handlers, and reads as "any path".
   */
  public static final String UNMATCHED = "/**";

  private static final String ROOT = "/";
  private static final int CLIENT_ERROR = 400;
  private static final int SERVER_ERROR = 500;

  // Packages of servlet containers whose default servlet serves static files or answers 404.
  private static final String[] CONTAINER_PACKAGES = {
    "org.apache.catalina.", // Tomcat, TomEE, GlassFish, Payara
    "org.eclipse.jetty.",
    "io.undertow.", // Undertow, WildFly
    "org.glassfish.",
    "com.ibm.ws.", // Open Liberty
    "weblogic.",
  };
  private static final String[] CONTAINER_SERVLET_NAMES = {
    "DefaultServlet", "Default404Servlet", "ResourceServlet",
  };

  private ServletRoutes() {}

  /**
   * The route of a servlet mapping: the context path followed by the pattern, or {@code null}
   * when the mapping names no route.
   *
   * <table>
   *   <caption>Mapping patterns, as Servlet 4 {@code HttpServletMapping.getPattern()}</caption>
   *   <tr><th>pattern</th><th>kind</th><th>route (context path {@code /shop})</th></tr>
   *   <tr><td>{@code /login}</td><td>exact</td><td>{@code /shop/login}</td></tr>
   *   <tr><td>{@code /items/*}</td><td>path</td><td>{@code /shop/items/*}</td></tr>
   *   <tr><td>{@code *.do}</td><td>extension</td><td>{@code /shop/*.do}</td></tr>
   *   <tr><td>{@code ""}</td><td>context root</td><td>{@code /shop} ({@code /} without context
   *       path), as {@link PathTemplates#fold} writes the context root</td></tr>
   *   <tr><td>{@code /}, {@code /*}</td><td>default, catch-all</td><td>{@code null}</td></tr>
   *   <tr><td>{@code null}, or anything malformed</td><td></td><td>{@code null}</td></tr>
   * </table>
   *
   * <p>An extension mapping gets a {@code /} between context path and pattern so that every
   * route is a path.
   *
   * @param contextPath {@code getContextPath()}: {@code ""} or {@code null} for the root
   *     context; a trailing slash is dropped and a missing leading one added
   * @param servletPattern the pattern that matched
   */
  public static String fromMapping(String contextPath, String servletPattern) {
    if (servletPattern == null) {
      return null;
    }
    String context = normalizeContextPath(contextPath);
    if (servletPattern.isEmpty()) {
      return context.isEmpty() ? ROOT : context;
    }
    if (ROOT.equals(servletPattern) || "/*".equals(servletPattern)) {
      return null;
    }
    if (servletPattern.startsWith("*.") && servletPattern.length() > 2) {
      return context + "/" + servletPattern;
    }
    if (servletPattern.charAt(0) == '/') {
      return context.isEmpty() ? servletPattern : context + servletPattern;
    }
    return null;
  }

  /**
   * The pattern among a servlet's registered mappings that matched this request, for containers
   * before Servlet 4 that have no {@code HttpServletMapping}; pass the result to {@link
   * #fromMapping}. Follows the matching rules of the Servlet specification (section 12.2): a
   * path mapping {@code /items/*} leaves {@code servletPath=/items} and the rest in {@code
   * pathInfo}; exact, extension and default mappings leave {@code pathInfo} null.
   *
   * @param servletPath {@code getServletPath()}
   * @param pathInfo {@code getPathInfo()}
   * @param servletMappings {@code ServletRegistration.getMappings()} of the servlet that handles
   *     the request (cache it: containers copy it on every call)
   * @return the matching pattern, or {@code null} if none of the mappings explains the request
   */
  public static String inferPattern(
      String servletPath, String pathInfo, Collection<String> servletMappings) {
    if (servletMappings == null || servletMappings.isEmpty()) {
      return null;
    }
    String path = servletPath == null ? "" : servletPath;
    String pathMapping = path + "/*";
    if (servletMappings.contains(pathMapping)) {
      return pathMapping; // "/items/x" (pathInfo "/x") and "/items" itself (pathInfo null)
    }
    if (pathInfo != null) {
      // Only the context-root mapping leaves pathInfo ("/") without being a path mapping.
      return path.isEmpty() && ROOT.equals(pathInfo) && servletMappings.contains("") ? "" : null;
    }
    if (servletMappings.contains(path)) {
      return path; // exact, or "" for the context root
    }
    for (String mapping : servletMappings) {
      if (mapping != null && mapping.startsWith("*.") && mapping.length() > 2) {
        int suffix = mapping.length() - 1; // ".do"
        if (path.length() > suffix
            && path.regionMatches(path.length() - suffix, mapping, 1, suffix)
            && path.charAt(path.length() - suffix - 1) != '/') {
          return mapping;
        }
      }
    }
    return servletMappings.contains(ROOT) ? ROOT : null;
  }

  /**
   * The framework's matched pattern as an absolute route. Spring MVC matches its patterns against
   * the path within the servlet mapping, so a {@code DispatcherServlet} mapped to {@code /api/*}
   * in context {@code /shop} turns {@code /owners/{id}} into {@code /shop/api/owners/{id}}. The
   * pattern itself is kept as the framework wrote it (it comes from application code, so its
   * value set is bounded).
   *
   * @param contextPath {@code getContextPath()}
   * @param servletPattern the servlet mapping that matched (see {@link #fromMapping}); may be
   *     {@code null}
   * @param frameworkPattern the framework's pattern; {@code null} or empty means none
   * @return the route, or {@code null} when there is no framework pattern
   */
  public static String withFrameworkPattern(
      String contextPath, String servletPattern, String frameworkPattern) {
    if (frameworkPattern == null || frameworkPattern.isEmpty()) {
      return null;
    }
    StringBuilder route = new StringBuilder(normalizeContextPath(contextPath));
    if (servletPattern != null && servletPattern.length() > 2 && servletPattern.endsWith("/*")) {
      route.append(servletPattern, 0, servletPattern.length() - 2);
    }
    if (frameworkPattern.charAt(0) != '/') {
      route.append('/');
    }
    return route.append(frameworkPattern).toString();
  }

  /**
   * Whether a servlet class is a container's own default servlet (static files, or the 404 of a
   * request no mapping matched): Tomcat's, Jetty's, Undertow's, GlassFish's, Liberty's,
   * WebLogic's. Requests it serves are not handled by the application. Checks the package as well
   * as the name, so that an application's own {@code DefaultServlet} still counts as application
   * code.
   *
   * @param servletClassName the binary name ({@code Class.getName()}) of the servlet
   */
  public static boolean isContainerDefaultServlet(String servletClassName) {
    if (servletClassName == null) {
      return false;
    }
    int simpleNameStart =
        Math.max(servletClassName.lastIndexOf('.'), servletClassName.lastIndexOf('$')) + 1;
    boolean defaultName = false;
    for (String name : CONTAINER_SERVLET_NAMES) {
      if (servletClassName.length() - simpleNameStart == name.length()
          && servletClassName.startsWith(name, simpleNameStart)) {
        defaultName = true;
        break;
      }
    }
    if (!defaultName) {
      return false;
    }
    for (String containerPackage : CONTAINER_PACKAGES) {
      if (servletClassName.startsWith(containerPackage)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The route of a finished request, by the decision in the class documentation.
   *
   * @param frameworkRoute {@link #withFrameworkPattern}, or {@code null}
   * @param servletRoute {@link #fromMapping}, or {@code null}
   * @param requestUri {@code getRequestURI()}, context path included; folded only as the last
   *     resort
   * @param handledByApplication whether application code produced the response: an application
   *     servlet ran, or an application filter answered without one; {@code false} when the
   *     container's default servlet ({@link #isContainerDefaultServlet}) served it or nothing did
   * @param statusCode the response status
   * @return never {@code null}
   */
  public static String choose(
      String frameworkRoute,
      String servletRoute,
      String requestUri,
      boolean handledByApplication,
      int statusCode) {
    String route = applicationRoute(frameworkRoute, servletRoute);
    if (route != null) {
      return route;
    }
    return isUnmatched(handledByApplication, statusCode) ? UNMATCHED : PathTemplates.fold(requestUri);
  }

  /**
   * The route the application defined for this request (steps 1 and 2 of the decision): the
   * framework route, else the servlet route; {@code null} when neither is set.
   */
  public static String applicationRoute(String frameworkRoute, String servletRoute) {
    if (frameworkRoute != null && !frameworkRoute.isEmpty()) {
      return frameworkRoute;
    }
    if (servletRoute != null && !servletRoute.isEmpty()) {
      return servletRoute;
    }
    return null;
  }

  /**
   * Step 3 of the decision, for a request without an {@link #applicationRoute}: whether it is
   * reported as {@value #UNMATCHED} instead of its folded path.
   */
  public static boolean isUnmatched(boolean handledByApplication, int statusCode) {
    return !handledByApplication || statusCode >= CLIENT_ERROR && statusCode < SERVER_ERROR;
  }

  private static String normalizeContextPath(String contextPath) {
    if (contextPath == null || contextPath.isEmpty() || ROOT.equals(contextPath)) {
      return "";
    }
    String context = contextPath.charAt(0) == '/' ? contextPath : "/" + contextPath;
    return context.charAt(context.length() - 1) == '/'
        ? context.substring(0, context.length() - 1)
        : context;
  }
}
