package io.vigil.api;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * "Has a super type named N" for every class the application loads, asked by several
 * instrumentations at once (servlets, filters, requests and async contexts in two namespaces,
 * statements, connections). Byte Buddy's own matcher walks the whole hierarchy for each question;
 * here one walk per class collects every super type name and all the questions about that class
 * are answered from it.
 *
 * <p>The walk is remembered per thread for the class being matched, which is the same
 * description for all matchers of one transformation; it is held weakly, so no class loader is
 * kept by it. A super type that cannot be resolved ends that branch of the walk, not the match.
 */
public final class SuperTypeMatchers {

  private static final ThreadLocal<Walked> LAST = new ThreadLocal<>();

  private SuperTypeMatchers() {}

  /** Matches types that are, extend or implement the type named {@code name}. */
  public static ElementMatcher.Junction<TypeDescription> hasSuperTypeNamed(final String name) {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription type) {
        return type != null && superTypeNames(type).contains(name);
      }

      @Override
      public String toString() {
        return "hasSuperTypeNamed(" + name + ")";
      }
    };
  }

  static Set<String> superTypeNames(TypeDescription type) {
    Walked last = LAST.get();
    if (last != null && last.type.get() == type) {
      return last.names;
    }
    Set<String> names = walk(type);
    LAST.set(new Walked(type, names));
    return names;
  }

  private static Set<String> walk(TypeDescription type) {
    Set<String> names = new HashSet<>();
    Deque<TypeDefinition> todo = new ArrayDeque<>();
    todo.push(type);
    while (!todo.isEmpty()) {
      TypeDefinition next = todo.pop();
      String name;
      try {
        name = next.asErasure().getName();
      } catch (RuntimeException unresolvable) {
        continue;
      }
      if (!names.add(name)) {
        continue;
      }
      // A missing super type (an optional dependency absent) hides only what lies behind it.
      try {
        TypeDescription.Generic superClass = next.getSuperClass();
        if (superClass != null) {
          todo.push(superClass);
        }
      } catch (RuntimeException unresolvable) {
        // See above.
      }
      try {
        for (TypeDescription.Generic implemented : next.getInterfaces()) {
          todo.push(implemented);
        }
      } catch (RuntimeException unresolvable) {
        // See above.
      }
    }
    return names;
  }

  private static final class Walked {
    final WeakReference<TypeDescription> type;
    final Set<String> names;

    Walked(TypeDescription type, Set<String> names) {
      this.type = new WeakReference<>(type);
      this.names = names;
    }
  }
}
