package io.vigil.api.errors;

/**
 * Tells the application's own stack frames from the platform's, its libraries' and generated
 * code, and writes a frame the way the fingerprint sees it: class and method, no line number, no
 * counter that a recompile renumbers.
 *
 * <p>Sentry calls these "in app" frames; an agent cannot be told the application's packages, so it
 * works the other way round: everything that is not a known platform, container, framework or
 * driver package, and not a proxy or generated class, is the application's.
 */
public final class ApplicationFrames {

  /** Packages that are never the application's code. */
  private static final String[] FOREIGN_PACKAGES = {
    "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.",
    "groovy.", "org.codehaus.groovy.", "org.springframework.", "org.apache.", "org.eclipse.jetty.",
    "io.undertow.", "org.jboss.", "org.wildfly.", "org.glassfish.", "org.hibernate.", "com.zaxxer.hikari.",
    "org.h2.", "org.postgresql.", "com.mysql.", "org.mariadb.", "oracle.", "com.microsoft.sqlserver.",
    "org.hsqldb.", "org.apache.derby.", "com.fasterxml.", "com.google.gson.", "com.google.common.",
    "io.micrometer.", "reactor.", "io.netty.", "org.slf4j.", "ch.qos.logback.", "org.aspectj.",
    "org.mybatis.", "org.jooq.", "io.github.resilience4j.", "feign.", "okhttp3.", "retrofit2.",
    "org.junit.", "org.mockito.", "net.bytebuddy.", "io.opentelemetry.", "io.prometheus.",
    // Vigil's own code and everything it shades; not io.vigil.* as a whole, which is also where
    // Vigil's examples and test applications live.
    "io.vigil.agent.", "io.vigil.api.", "io.vigil.bootstrap.", "io.vigil.servlet.", "io.vigil.jdbc.",
    "io.vigil.hikari.", "io.vigil.shaded."
  };

  /** Markers of classes a library generated at run time: CGLIB, Byte Buddy, javassist, JDK proxies. */
  private static final String[] GENERATED_MARKERS = {
    "$$", "$HibernateProxy$", "$ByteBuddy$", "$MockitoMock$", "_$$_jvst", "$Proxy", "GeneratedMethodAccessor",
    "GeneratedConstructorAccessor", "GeneratedSerializationConstructorAccessor"
  };

  private ApplicationFrames() {}

  /** Whether {@code frame} is the application's own, hand-written code. */
  public static boolean isApplication(StackTraceElement frame) {
    String className = frame.getClassName();
    for (String prefix : FOREIGN_PACKAGES) {
      if (className.startsWith(prefix)) {
        return false;
      }
    }
    return !isGenerated(className);
  }

  static boolean isGenerated(String className) {
    if (className.startsWith("jdk.proxy") || className.startsWith("com.sun.proxy.")) {
      return true;
    }
    for (String marker : GENERATED_MARKERS) {
      if (className.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code Class.method} without the line, and with a lambda body's method ({@code
   * lambda$find$3}) written without the counter javac gives it, which changes when a lambda is
   * added above it.
   */
  public static String normalized(StackTraceElement frame) {
    return frame.getClassName() + '.' + normalizedMethod(frame.getMethodName());
  }

  static String normalizedMethod(String method) {
    if (!method.startsWith("lambda$")) {
      return method;
    }
    int end = method.length();
    while (end > 0 && Character.isDigit(method.charAt(end - 1))) {
      end--;
    }
    if (end < method.length() && end > 0 && method.charAt(end - 1) == '$') {
      return method.substring(0, end - 1);
    }
    return method;
  }
}
