package io.vigil.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Puts the {@code bootstrap} module's facades into the bootstrap class loader: defined there
 * directly from the nested jar's bytes, with no file written and nothing appended to the bootstrap
 * class path, so the JVM keeps class data sharing on for every loader and prints no "Sharing is
 * only supported for boot loader classes" warning. Where the JVM refuses (a runtime without the
 * internal {@code Unsafe}), the nested jar is appended as before ({@link BootstrapJar}).
 */
final class BootstrapClasses {

  private BootstrapClasses() {}

  /** @return how the facades were put there, for the debug log */
  static String install(Instrumentation instrumentation) throws IOException {
    Map<String, byte[]> classes = read();
    try {
      defineInBootLoader(instrumentation, classes);
      return "defined in the boot loader";
    } catch (Throwable refused) {
      BootstrapJar.appendTo(instrumentation);
      return "appended to the boot class path (" + refused + ")";
    }
  }

  /** The facades' class files by binary name, from the nested jar. */
  static Map<String, byte[]> read() throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (InputStream raw = BootstrapClasses.class.getResourceAsStream(BootstrapJar.RESOURCE)) {
      if (raw == null) {
        throw new IOException("the agent jar lacks " + BootstrapJar.RESOURCE + "; it is damaged");
      }
      JarInputStream jar = new JarInputStream(raw);
      for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
        String name = entry.getName();
        if (name.endsWith(".class")) {
          classes.put(name.substring(0, name.length() - 6).replace('/', '.'), readAll(jar));
        }
      }
    }
    return Collections.unmodifiableMap(classes);
  }

  private static void defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes)
      throws Exception {
    byte[] definer = readResource("/" + BootDefiner.class.getName().replace('.', '/') + ".class");
    Class<?> isolated = new Isolated().define(BootDefiner.class.getName(), definer);
    Method getModule = null;
    try {
      getModule = Class.class.getMethod("getModule");
    } catch (NoSuchMethodException java8) {
      // No modules: the definer reaches sun.misc.Unsafe by reflection.
    }
    if (getModule != null) {
      Object javaBase = getModule.invoke(Object.class);
      Object definerModule = getModule.invoke(isolated);
      Class<?> moduleType = getModule.getReturnType();
      Method redefineModule = Instrumentation.class.getMethod("redefineModule",
          moduleType, java.util.Set.class, Map.class, Map.class, java.util.Set.class, Map.class);
      redefineModule.invoke(instrumentation, javaBase, Collections.emptySet(),
          Collections.singletonMap("jdk.internal.misc", Collections.singleton(definerModule)),
          Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    }
    isolated.getMethod("define", Map.class).invoke(null, classes);
  }

  private static byte[] readResource(String resource) throws IOException {
    try (InputStream in = BootstrapClasses.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the agent jar lacks " + resource);
      }
      return readAll(in);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** A loader of its own for the definer, below the bootstrap loader only. */
  private static final class Isolated extends ClassLoader {
    Isolated() {
      super(null);
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
