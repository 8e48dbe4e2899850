package io.vigil.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class SharedTypeCacheTest {

  private final SharedTypeCache strategy = new SharedTypeCache();

  @Test
  void aLaterPoolOfTheSameLoaderReadsNoClassFileAgain() {
    ClassLoader loader = getClass().getClassLoader();
    assertSame(strategy.locate(loader), strategy.locate(loader));
    ClassFileLocator base = ClassFileLocator.ForClassLoader.of(loader);
    AtomicInteger reads = new AtomicInteger();
    ClassFileLocator counting = new ClassFileLocator() {
      @Override
      public Resolution locate(String name) throws java.io.IOException {
        reads.incrementAndGet();
        return base.locate(name);
      }

      @Override
      public void close() {}
    };
    String name = SharedTypeCacheTest.class.getName();
    int methods = strategy.typePool(counting, loader).describe(name).resolve().getDeclaredMethods().size();
    int afterFirst = reads.get();
    assertTrue(afterFirst > 0);
    assertEquals(methods, strategy.typePool(counting, loader).describe(name).resolve().getDeclaredMethods().size());
    assertEquals(afterFirst, reads.get());
  }

  @Test
  void loadersDoNotShare() {
    ClassLoader other = new URLClassLoader(new URL[0], null);
    assertNotSame(strategy.locate(getClass().getClassLoader()), strategy.locate(other));
  }

  @Test
  void aFullCacheStartsAfreshInsteadOfGrowing() {
    SharedTypeCache.BoundedCache cache = new SharedTypeCache.BoundedCache(3);
    for (int i = 0; i < 10; i++) {
      TypePool.Resolution resolution = new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Object.class));
      assertSame(resolution, cache.register("t" + i, resolution));
      assertTrue(cache.size() <= 3, "size " + cache.size());
    }
    assertNull(cache.find("t0"));
    assertTrue(cache.find("t9") != null);
  }

  @Test
  void theFirstRegistrationOfANameWins() {
    SharedTypeCache.BoundedCache cache = new SharedTypeCache.BoundedCache(10);
    TypePool.Resolution first = new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Object.class));
    TypePool.Resolution second = new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(String.class));
    assertSame(first, cache.register("x", first));
    assertSame(first, cache.register("x", second));
    assertEquals(1, cache.size());
  }
}
