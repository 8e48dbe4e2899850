package io.vigil.servlet.route;

/**
 * {@link PathTemplates#fold}, remembered per raw path: an application whose routes come from
 * folding (no servlet mapping or framework pattern names them) asks for the same few paths again
 * and again, and a hit answers with the folded string made before instead of a new one.
 *
 * <p>A fixed table of immutable entries, like {@link ComposedRoutes}: lock-free and bounded in
 * entries and, since paths longer than {@value #MAX_CACHED_LENGTH} characters are folded without
 * it, in memory (about {@value #SLOTS} × {@value #MAX_CACHED_LENGTH} bytes at most). A flood of
 * distinct URLs only churns it: each miss costs its fold and one entry, as it would without.
 */
public final class FoldedPaths {

  static final int SLOTS = 512; // a power of two
  static final int MAX_CACHED_LENGTH = 256;

  private final Entry[] entries = new Entry[SLOTS];

  /** Same answer as {@link PathTemplates#fold}. */
  public String fold(String path) {
    if (path == null || path.length() > MAX_CACHED_LENGTH) {
      return PathTemplates.fold(path);
    }
    int h = path.hashCode();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    Entry entry = entries[slot];
    if (entry != null && entry.path.equals(path)) {
      return entry.folded;
    }
    String folded = PathTemplates.fold(path);
    entries[slot] = new Entry(path, folded);
    return folded;
  }

  private static final class Entry {
    final String path;
    final String folded;

    Entry(String path, String folded) {
      this.path = path;
      this.folded = folded;
    }
  }
}
