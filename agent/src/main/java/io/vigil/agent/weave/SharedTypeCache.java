package io.vigil.agent.weave;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions shared between class loads. Matching "is this a {@code java.sql.Statement},
 * a {@code Servlet}?" walks every loaded class's super types; with a pool per class load, each
 * walk parses the same super types again from their class files, and an application loading a
 * few thousand classes spent seconds of its start-up there. Here each loader's descriptions are
 * kept across class loads instead.
 *
 * <p>Bounded twice over: at most {@value #MAX_TYPES_PER_LOADER} descriptions per loader (past
 * that the loader's cache starts afresh), and the caches are only weakly held, so they live from
 * one garbage collection to the next: long enough for a burst of class loading, never long enough
 * to pin a web application's class loader (a description refers to its loader) or to hold memory
 * once the application has started.
 */
final class SharedTypeCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {

  static final int MAX_TYPES_PER_LOADER = 4096;

  private final Map<ClassLoader, WeakReference<BoundedCache>> caches =
      Collections.synchronizedMap(new WeakHashMap<ClassLoader, WeakReference<BoundedCache>>());

  SharedTypeCache() {
    super(TypePool.Default.ReaderMode.FAST);
  }

  @Override
  protected TypePool.CacheProvider locate(ClassLoader loader) {
    synchronized (caches) {
      WeakReference<BoundedCache> held = caches.get(loader);
      BoundedCache cache = held == null ? null : held.get();
      if (cache == null) {
        cache = new BoundedCache(MAX_TYPES_PER_LOADER);
        caches.put(loader, new WeakReference<>(cache));
      }
      return cache;
    }
  }

  /** A loader's descriptions, emptied when full rather than grown. */
  static final class BoundedCache implements TypePool.CacheProvider {
    private final ConcurrentHashMap<String, TypePool.Resolution> resolutions = new ConcurrentHashMap<>();
    private final int maxSize;

    BoundedCache(int maxSize) {
      this.maxSize = maxSize;
    }

    @Override
    public TypePool.Resolution find(String name) {
      return resolutions.get(name);
    }

    @Override
    public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
      if (resolutions.size() >= maxSize) {
        resolutions.clear();
      }
      TypePool.Resolution known = resolutions.putIfAbsent(name, resolution);
      return known == null ? resolution : known;
    }

    @Override
    public void clear() {
      resolutions.clear();
    }

    int size() {
      return resolutions.size();
    }
  }
}
