package io.vigil.api;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/** Cheap class-loader pre-filters for {@link TypeInstrumentation#classLoaderMatcher()}. */
public final class ClassLoaderMatchers {

  private ClassLoaderMatchers() {}

  /**
   * Matches loaders that can see at least one of the named classes, looked up as resources (never
   * loaded, so matching has no side effects). Answers are cached weakly per loader: a webapp's
   * loader is never pinned by the agent.
   */
  public static ElementMatcher<ClassLoader> canSeeAnyOf(String... classNames) {
    final String[] resources = new String[classNames.length];
    for (int i = 0; i < classNames.length; i++) {
      resources[i] = classNames[i].replace('.', '/') + ".class";
    }
    final Map<ClassLoader, Boolean> answers = Collections.synchronizedMap(new WeakHashMap<ClassLoader, Boolean>());
    return new ElementMatcher<ClassLoader>() {
      @Override
      public boolean matches(ClassLoader loader) {
        if (loader == null) {
          // The bootstrap loader holds none of the libraries we instrument.
          return false;
        }
        Boolean known = answers.get(loader);
        if (known != null) {
          return known;
        }
        boolean found = false;
        for (String resource : resources) {
          if (loader.getResource(resource) != null) {
            found = true;
            break;
          }
        }
        answers.put(loader, found);
        return found;
      }

      @Override
      public String toString() {
        return "canSeeAnyOf" + java.util.Arrays.toString(classNames);
      }
    };
  }
}
