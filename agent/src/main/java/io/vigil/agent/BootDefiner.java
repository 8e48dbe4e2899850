package io.vigil.agent;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Defines classes in the bootstrap class loader with the JDK's {@code Unsafe.defineClass}. Loaded
 * by {@link BootstrapClasses} into a class loader of its own, never by the agent's: on Java 9 and
 * later the agent opens {@code jdk.internal.misc} to this class's module alone, so neither the
 * agent's other classes nor the application (which share the system class loader's unnamed module)
 * gain that access. It touches JDK classes only.
 */
public final class BootDefiner {

  private BootDefiner() {}

  /**
   * Defines every class (binary name to class file) in the bootstrap loader, super types before
   * the types that need them, whatever the order given.
   *
   * @throws Exception when this JVM offers no way to do it, or a class cannot be defined
   */
  public static void define(Map<String, byte[]> classes) throws Exception {
    Object unsafe;
    Method defineClass;
    try {
      Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
      unsafe = type.getMethod("getUnsafe").invoke(null);
      defineClass = type.getMethod(
          "defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class);
    } catch (ClassNotFoundException java8) {
      Class<?> type = Class.forName("sun.misc.Unsafe");
      Field field = type.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      unsafe = field.get(null);
      defineClass = type.getMethod(
          "defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class);
    }
    Map<String, byte[]> pending = new LinkedHashMap<>(classes);
    while (!pending.isEmpty()) {
      List<String> defined = new ArrayList<>();
      Throwable last = null;
      for (Map.Entry<String, byte[]> entry : pending.entrySet()) {
        byte[] bytes = entry.getValue();
        try {
          defineClass.invoke(unsafe, entry.getKey(), bytes, 0, bytes.length, null, null);
          defined.add(entry.getKey());
        } catch (InvocationTargetException e) {
          // A super type defined later in this round: the next round takes it.
          if (!(e.getCause() instanceof NoClassDefFoundError)) {
            throw e;
          }
          last = e.getCause();
        }
      }
      if (defined.isEmpty()) {
        throw new IllegalStateException("classes left that need a missing type: " + pending.keySet(), last);
      }
      for (String name : defined) {
        pending.remove(name);
      }
    }
  }
}
