package io.vigil.api.errors;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JDBC errors waiting for the route of the request they happened in, by trace id. Bounded: a
 * statement that failed outside any request (a batch job) never gets a route, and the oldest
 * waiting entries make room for new ones.
 */
final class PendingRoutes {

  static final int MAX_PENDING = 256;

  private final LinkedHashMap<String, List<String>> byTrace = new LinkedHashMap<String, List<String>>();
  /** Read without the lock by every request that ends; written under it. */
  private volatile int size;

  synchronized void await(String traceId, String fingerprint) {
    List<String> fingerprints = byTrace.get(traceId);
    if (fingerprints == null) {
      if (byTrace.size() >= MAX_PENDING) {
        Iterator<Map.Entry<String, List<String>>> eldest = byTrace.entrySet().iterator();
        eldest.next();
        eldest.remove();
      }
      fingerprints = new ArrayList<String>(1);
      byTrace.put(traceId, fingerprints);
    }
    if (!fingerprints.contains(fingerprint)) {
      fingerprints.add(fingerprint);
    }
    size = byTrace.size();
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The fingerprints waiting for {@code traceId}'s route, now no longer waiting; or null. */
  synchronized List<String> take(String traceId) {
    List<String> fingerprints = byTrace.remove(traceId);
    size = byTrace.size();
    return fingerprints;
  }
}
