package io.vigil.api.errors;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** An exception and its causes, outermost first; cycles and absurd depths cut. */
final class ExceptionChain {

  /** Real chains are a handful deep; the bound guards against pathological ones. */
  static final int MAX_DEPTH = 8;

  private ExceptionChain() {}

  static List<Throwable> of(Throwable error) {
    List<Throwable> chain = new ArrayList<Throwable>(4);
    Map<Throwable, Boolean> seen = new IdentityHashMap<Throwable, Boolean>();
    for (Throwable t = error; t != null && chain.size() < MAX_DEPTH && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      chain.add(t);
    }
    return Collections.unmodifiableList(chain);
  }

  /** The first {@link SQLException} of the chain, the one the driver threw or its wrapper; or null. */
  static SQLException firstSql(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }
}
