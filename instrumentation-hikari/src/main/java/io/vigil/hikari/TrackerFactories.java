package io.vigil.hikari;

import io.vigil.bootstrap.HikariPools;
import java.lang.reflect.Constructor;

/**
 * The agent side of {@link HikariPools#trackerFactory}: answers a {@code ChainingTrackerFactory}
 * (defined by a {@link BridgeClassLoader} next to the pool's HikariCP) around whatever factory the
 * application gave the pool. One bridge per HikariCP class, cached in a {@link ClassValue} on that
 * class, so the cache lives and dies with the application's HikariCP and pins nothing.
 */
final class TrackerFactories implements HikariPools.Hook {

  static final String CHAINING_FACTORY = BridgeClassLoader.BRIDGE_PACKAGE + "ChainingTrackerFactory";

  private final HikariPools.Registrar registrar;
  private final ClassLoader agentLoader;
  private final ClassValue<Constructor<?>> bridges =
      new ClassValue<Constructor<?>>() {
        @Override
        protected Constructor<?> computeValue(Class<?> poolClass) {
          try {
            ClassLoader bridge = new BridgeClassLoader(poolClass.getClassLoader(), agentLoader);
            return bridge.loadClass(CHAINING_FACTORY).getConstructors()[0];
          } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot define the HikariCP bridge next to " + poolClass, e);
          }
        }
      };

  TrackerFactories(HikariPools.Registrar registrar, ClassLoader agentLoader) {
    this.registrar = registrar;
    this.agentLoader = agentLoader;
  }

  @Override
  public Object trackerFactory(Object pool, Object appFactory) {
    Constructor<?> chaining = bridges.get(pool.getClass());
    if (chaining.getDeclaringClass().isInstance(appFactory)) {
      // Already ours (the pool's factory was set from the one it had): never wrap twice.
      return appFactory;
    }
    try {
      return chaining.newInstance(pool, appFactory, registrar);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build the HikariCP bridge factory", e);
    }
  }
}
