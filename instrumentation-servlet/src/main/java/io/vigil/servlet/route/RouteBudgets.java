package io.vigil.servlet.route;

/**
 * Applies {@link ServletRoutes#choose}'s decision under two separate caps, so that the routes a
 * client can invent never take the place of the routes the application defined.
 *
 * <ul>
 *   <li><b>Application routes</b> (a framework's matched pattern, a servlet mapping other than the
 *       catch-alls {@code /} and {@code /*}): their number is fixed by the application's code, so
 *       they alone use the {@code http.route.max-cardinality} budget; past it they become {@value
 *       RouteLimiter#OVERFLOW}, and the application-route overflow callback runs.
 *   <li><b>Folded paths</b> (a filter or a catch-all servlet answered without an application
 *       route, with a status outside 4xx): the path is the client's choice, so they get a budget of
 *       their own of {@value #MAX_FOLDED_ROUTES} routes; past it they become {@value
 *       ServletRoutes#UNMATCHED} and the folded overflow callback runs.
 *   <li><b>Unmatched</b> requests (4xx without an application route, the container's own 404 or
 *       static files) are {@value ServletRoutes#UNMATCHED} and use no budget at all.
 * </ul>
 *
 * <p>Application routes are cut to {@link PathTemplates#MAX_LENGTH} characters, the longest a
 * folded path can be. So the {@code http_route} label never takes more than {@code max-cardinality + }{@value
 * #MAX_FOLDED_ROUTES}{@code + 2} values, whatever clients send. Thread-safe and lock-free; a route
 * already admitted costs what {@link RouteLimiter#limit} costs.
 */
public final class RouteBudgets {

  /**
   * Folded paths kept as routes of their own. Small on purpose: an application whose routes are
   * all folded paths (a filter or a catch-all servlet doing its own routing) has few of them, and
   * anything more is clients probing.
   */
  public static final int MAX_FOLDED_ROUTES = 100;

  private final RouteLimiter application;
  private final RouteLimiter folded;
  private final FoldedPaths foldedPaths = new FoldedPaths();

  /**
   * @param maxApplicationRoutes {@code http.route.max-cardinality}
   * @param onApplicationOverflow run for every application route past its cap; may be null
   * @param onFoldedOverflow run for every folded path past {@value #MAX_FOLDED_ROUTES}; may be null
   */
  public RouteBudgets(int maxApplicationRoutes, Runnable onApplicationOverflow, Runnable onFoldedOverflow) {
    this(
        new RouteLimiter(maxApplicationRoutes, onApplicationOverflow),
        new RouteLimiter(MAX_FOLDED_ROUTES, ServletRoutes.UNMATCHED, onFoldedOverflow));
  }

  RouteBudgets(RouteLimiter application, RouteLimiter folded) {
    this.application = application;
    this.folded = folded;
  }

  /**
   * The limited route of a finished request; the arguments are those of {@link
   * ServletRoutes#choose}. Never {@code null}.
   */
  public String route(
      String frameworkRoute, String servletRoute, String requestUri, boolean handledByApplication, int statusCode) {
    String route = ServletRoutes.applicationRoute(frameworkRoute, servletRoute);
    if (route != null) {
      // A pattern is application code, but its length is still bounded like every label value.
      return application.limit(
          route.length() > PathTemplates.MAX_LENGTH ? route.substring(0, PathTemplates.MAX_LENGTH) : route);
    }
    if (ServletRoutes.isUnmatched(handledByApplication, statusCode)) {
      return ServletRoutes.UNMATCHED;
    }
    return folded.limit(foldedPaths.fold(requestUri));
  }

  /** Application routes admitted so far. */
  public int applicationRoutes() {
    return application.size();
  }

  /** Folded paths admitted so far; at most {@value #MAX_FOLDED_ROUTES}. */
  public int foldedRoutes() {
    return folded.size();
  }
}
