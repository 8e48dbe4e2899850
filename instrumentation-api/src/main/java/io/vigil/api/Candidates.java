package io.vigil.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The most a {@link TypeInstrumentation#typeMatcher()} can match, told by names alone: classes
 * with one of these names, or with one of these super types (the class itself, a super class or
 * an interface, at any depth). The agent answers that from the class file's bytes and rejects every
 * other loaded class before Byte Buddy describes it, which is most of the weaving cost of an
 * application that loads tens of thousands of classes. It must be a superset: a class the type
 * matcher would match but these names exclude is never woven. {@link #any()} promises nothing and
 * turns the pre-filter off.
 */
public final class Candidates {

  private static final Candidates ANY = new Candidates(null, null);

  private final Set<String> names;
  private final Set<String> superTypeNames;

  private Candidates(Set<String> names, Set<String> superTypeNames) {
    this.names = names;
    this.superTypeNames = superTypeNames;
  }

  /** Every class may match: no pre-filter. */
  public static Candidates any() {
    return ANY;
  }

  /** Only classes with one of these binary names ({@code com.example.Outer$Inner}) may match. */
  public static Candidates named(String... names) {
    return new Candidates(copy(names), Collections.<String>emptySet());
  }

  /** Only classes that are, extend or implement one of these types (binary names) may match. */
  public static Candidates withSuperType(String... superTypeNames) {
    return new Candidates(Collections.<String>emptySet(), copy(superTypeNames));
  }

  public boolean isAny() {
    return names == null;
  }

  /** Binary names; empty for {@link #any()}. */
  public Set<String> names() {
    return names == null ? Collections.<String>emptySet() : names;
  }

  /** Binary names of super types; empty for {@link #any()}. */
  public Set<String> superTypeNames() {
    return superTypeNames == null ? Collections.<String>emptySet() : superTypeNames;
  }

  private static Set<String> copy(String[] names) {
    for (String name : names) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("a candidate type name is empty");
      }
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
  }

  @Override
  public String toString() {
    return isAny() ? "any" : "named" + names + " or with a super type in " + superTypeNames;
  }
}
