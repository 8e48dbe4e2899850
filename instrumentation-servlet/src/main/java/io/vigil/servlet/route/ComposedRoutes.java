package io.vigil.servlet.route;

/**
 * {@link ServletRoutes#withFrameworkPattern} and {@link ServletRoutes#fromMapping}, remembered:
 * a request on a known route gets the route string composed by an earlier one instead of a new
 * one. Their inputs (context path, servlet mapping, framework pattern) are the application's own
 * few strings, usually the very same instances on every request, so the lookup is a hash of
 * cached string hashes and reference comparisons.
 *
 * <p>A fixed table of immutable entries, one per slot: lock-free, bounded whatever it is offered,
 * and safe under races (a reader sees a whole entry or an older one; two writers to one slot lose
 * one entry, which is composed again on its next request). Inputs that collide in a slot take
 * turns in it and cost what they cost without the cache.
 */
public final class ComposedRoutes {

  private static final int SLOTS = 256; // a power of two

  private final Entry[] entries = new Entry[SLOTS];

  /** {@link ServletRoutes#withFrameworkPattern}, remembered. */
  public String withFrameworkPattern(String contextPath, String servletPattern, String frameworkPattern) {
    if (frameworkPattern == null || frameworkPattern.isEmpty()) {
      return null;
    }
    int slot = slot(contextPath, servletPattern, frameworkPattern);
    Entry entry = entries[slot];
    if (entry != null && entry.matches(contextPath, servletPattern, frameworkPattern)) {
      return entry.route;
    }
    String route = ServletRoutes.withFrameworkPattern(contextPath, servletPattern, frameworkPattern);
    entries[slot] = new Entry(contextPath, servletPattern, frameworkPattern, route);
    return route;
  }

  /** {@link ServletRoutes#fromMapping}, remembered. */
  public String fromMapping(String contextPath, String servletPattern) {
    if (servletPattern == null) {
      return null;
    }
    int slot = slot(contextPath, servletPattern, null);
    Entry entry = entries[slot];
    if (entry != null && entry.matches(contextPath, servletPattern, null)) {
      return entry.route;
    }
    String route = ServletRoutes.fromMapping(contextPath, servletPattern);
    entries[slot] = new Entry(contextPath, servletPattern, null, route);
    return route;
  }

  private static int slot(String contextPath, String servletPattern, String frameworkPattern) {
    int h = contextPath == null ? 0 : contextPath.hashCode();
    h = 31 * h + (servletPattern == null ? 0 : servletPattern.hashCode());
    h = 31 * h + (frameworkPattern == null ? 1 : frameworkPattern.hashCode());
    h ^= h >>> 16;
    return h & (SLOTS - 1);
  }

  private static final class Entry {
    final String contextPath;
    final String servletPattern;
    final String frameworkPattern;
    final String route;

    Entry(String contextPath, String servletPattern, String frameworkPattern, String route) {
      this.contextPath = contextPath;
      this.servletPattern = servletPattern;
      this.frameworkPattern = frameworkPattern;
      this.route = route;
    }

    boolean matches(String contextPath, String servletPattern, String frameworkPattern) {
      return same(this.frameworkPattern, frameworkPattern)
          && same(this.servletPattern, servletPattern)
          && same(this.contextPath, contextPath);
    }

    private static boolean same(String a, String b) {
      return a == b || (a != null && a.equals(b));
    }
  }
}
