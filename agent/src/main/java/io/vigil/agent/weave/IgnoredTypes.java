package io.vigil.agent.weave;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Types the agent never looks at: its own classes and its shaded libraries, the JDK, generated
 * proxies and lambdas. Checked first for every loaded class, so it holds only name tests.
 */
final class IgnoredTypes {

  private IgnoredTypes() {}

  static ElementMatcher.Junction<TypeDescription> matcher() {
    return nameStartsWith("io.vigil.")
        .or(nameStartsWith("net.bytebuddy."))
        .or(nameStartsWith("java."))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun."))
        .or(nameStartsWith("org.ietf.jgss."))
        .or(nameStartsWith("org.jcp.xml."))
        // Wrappers generated at run time: the types they wrap are woven instead.
        .or(nameContains("$$Lambda"))
        .or(nameContains("$Proxy"))
        .or(nameContains("$$EnhancerBy"))
        .or(nameContains("$HibernateProxy$"))
        .or(isSynthetic());
  }

  /** Loaders that only ever hold JDK-generated accessors. */
  static ElementMatcher<ClassLoader> ignoredLoaders() {
    return loader -> {
      if (loader == null) {
        return true;
      }
      String name = loader.getClass().getName();
      return name.equals("sun.reflect.DelegatingClassLoader")
          || name.equals("jdk.internal.reflect.DelegatingClassLoader");
    };
  }
}
