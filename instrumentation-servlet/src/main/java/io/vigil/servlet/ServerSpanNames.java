package io.vigil.servlet;

import io.vigil.servlet.route.HttpMethods;

/**
 * The name of a server span, {@code "GET /owners/{id}"}, composed once per method and route
 * rather than concatenated on every request. Methods are {@link HttpMethods}' constants and routes
 * the route limiter's admitted instances, so a hit is two reference comparisons.
 *
 * <p>A fixed table of immutable entries: lock-free and bounded; entries that collide take turns in
 * their slot, a race loses an entry, and either only costs the concatenation it would have cost.
 */
final class ServerSpanNames {

  private static final int SLOTS = 512; // a power of two

  private final Entry[] entries = new Entry[SLOTS];

  String name(String method, String route) {
    int h = method.hashCode() * 31 + route.hashCode();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    Entry entry = entries[slot];
    if (entry != null && entry.method.equals(method) && entry.route.equals(route)) {
      return entry.name;
    }
    String name = (HttpMethods.OTHER.equals(method) ? "HTTP" : method) + " " + route;
    entries[slot] = new Entry(method, route, name);
    return name;
  }

  private static final class Entry {
    final String method;
    final String route;
    final String name;

    Entry(String method, String route, String name) {
      this.method = method;
      this.route = route;
      this.name = name;
    }
  }
}
