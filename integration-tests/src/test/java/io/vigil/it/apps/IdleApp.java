package io.vigil.it.apps;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * A plain main with nothing to instrument: the smallest application the agent must serve. It
 * reports what an application's own class loaders can see of the agent, then idles until killed
 * (or for the milliseconds given as the first argument).
 */
public final class IdleApp {

  private IdleApp() {}

  public static void main(String[] args) throws Exception {
    // A loader whose parent is the bootstrap loader, like an isolated plugin or webapp loader.
    ClassLoader isolated = new URLClassLoader(new URL[0], null);
    System.out.println("bootstrap facade visible from an isolated loader: " + visible("io.vigil.bootstrap.AdviceErrors", isolated));
    System.out.println("agent implementation visible from an isolated loader: " + visible("io.vigil.agent.VigilAgent", isolated));
    System.out.println("application's net.bytebuddy.ByteBuddy comes from: " + origin("net.bytebuddy.ByteBuddy"));
    System.out.println("idle app started");
    long millis = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE / 2;
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(Math.min(200, Math.max(1, deadline - System.currentTimeMillis())));
    }
    System.out.println("idle app done");
  }

  private static String origin(String className) {
    try {
      Class<?> type = Class.forName(className, false, IdleApp.class.getClassLoader());
      java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
      return source == null ? "unknown" : new java.io.File(source.getLocation().getPath()).getName();
    } catch (ClassNotFoundException e) {
      return "nowhere";
    }
  }

  private static boolean visible(String className, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(className, false, loader);
      return type.getName().equals(className);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
