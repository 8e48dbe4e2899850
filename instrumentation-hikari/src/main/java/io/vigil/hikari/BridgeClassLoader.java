package io.vigil.hikari;

import io.vigil.bootstrap.HikariPools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Defines the {@code io.vigil.hikari.bridge} classes for one HikariCP: a child of the loader that
 * loaded the pool's {@code HikariPool}, so the bridge's {@code MetricsTrackerFactory} and {@code
 * IMetricsTracker} are the application's own, whatever loader that is (the system loader, a
 * webapp's, Spring Boot's nested-jar loader). Nothing is injected into the application's loader
 * and no JDK internals are opened: this is plain {@code ClassLoader.defineClass}, the same on Java
 * 8 and 25.
 *
 * <p>Bridge classes are always defined here (child first), never found through the parent: when
 * the agent jar is on the system class path the parent could otherwise load them itself. Bootstrap
 * facades resolve to the very classes the agent uses. Everything else comes from the parent.
 */
final class BridgeClassLoader extends ClassLoader {

  static final String BRIDGE_PACKAGE = "io.vigil.hikari.bridge.";
  private static final String BOOTSTRAP_PACKAGE = "io.vigil.bootstrap.";

  static {
    registerAsParallelCapable();
  }

  /** Where the bridge classes' bytes are read from: the agent jar. */
  private final ClassLoader bytesSource;

  BridgeClassLoader(ClassLoader hikariLoader, ClassLoader bytesSource) {
    super(hikariLoader);
    this.bytesSource = bytesSource;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(BRIDGE_PACKAGE)) {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          loaded = define(name);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
    if (name.startsWith(BOOTSTRAP_PACKAGE)) {
      return Class.forName(name, false, HikariPools.class.getClassLoader());
    }
    return super.loadClass(name, resolve);
  }

  private Class<?> define(String name) throws ClassNotFoundException {
    String resource = name.replace('.', '/') + ".class";
    InputStream in = bytesSource == null ? ClassLoader.getSystemResourceAsStream(resource) : bytesSource.getResourceAsStream(resource);
    if (in == null) {
      throw new ClassNotFoundException(name + " (no " + resource + " in the agent jar)");
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) > 0) {
        bytes.write(buffer, 0, n);
      }
      byte[] code = bytes.toByteArray();
      return defineClass(name, code, 0, code.length);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    } finally {
      try {
        in.close();
      } catch (IOException ignored) {
        // Read already; nothing to do.
      }
    }
  }
}
