package io.vigil.api;

import static io.vigil.api.SuperTypeMatchers.hasSuperTypeNamed;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class SuperTypeMatchersTest {

  interface Base {}

  interface Derived extends Base {}

  abstract static class Middle implements Derived {}

  static final class Leaf extends Middle implements Serializable {}

  private static TypeDescription described(Class<?> type) {
    return TypePool.Default.of(ClassFileLocator.ForClassLoader.of(type.getClassLoader())).describe(type.getName()).resolve();
  }

  @Test
  void findsTheTypeItselfItsSuperclassesAndInterfacesAtAnyDepth() {
    TypeDescription leaf = described(Leaf.class);
    assertTrue(hasSuperTypeNamed(Leaf.class.getName()).matches(leaf));
    assertTrue(hasSuperTypeNamed(Middle.class.getName()).matches(leaf));
    assertTrue(hasSuperTypeNamed(Base.class.getName()).matches(leaf));
    assertTrue(hasSuperTypeNamed(Serializable.class.getName()).matches(leaf));
    assertTrue(hasSuperTypeNamed(Object.class.getName()).matches(leaf));
    assertFalse(hasSuperTypeNamed(Runnable.class.getName()).matches(leaf));
  }

  @Test
  void answersForTheTypeAskedNotTheOneBefore() {
    assertTrue(hasSuperTypeNamed(java.util.List.class.getName()).matches(TypeDescription.ForLoadedType.of(ArrayList.class)));
    assertFalse(hasSuperTypeNamed(java.util.List.class.getName()).matches(described(Leaf.class)));
    assertTrue(hasSuperTypeNamed(java.util.Collection.class.getName()).matches(TypeDescription.ForLoadedType.of(ArrayList.class)));
  }

  @Test
  void aMissingSuperTypeHidesOnlyItsOwnBranch() {
    // Leaf's class file read through a locator that cannot find Middle: Serializable is still seen.
    ClassFileLocator withoutMiddle = new ClassFileLocator() {
      private final ClassFileLocator real = ClassFileLocator.ForClassLoader.of(Leaf.class.getClassLoader());

      @Override
      public Resolution locate(String name) throws java.io.IOException {
        return name.equals(Middle.class.getName()) ? new Resolution.Illegal(name) : real.locate(name);
      }

      @Override
      public void close() {}
    };
    TypeDescription leaf = TypePool.Default.of(withoutMiddle).describe(Leaf.class.getName()).resolve();
    assertTrue(hasSuperTypeNamed(Serializable.class.getName()).matches(leaf));
    assertFalse(hasSuperTypeNamed(Base.class.getName()).matches(leaf));
  }

  @Test
  void nullIsNoMatch() {
    assertFalse(hasSuperTypeNamed("x").matches(null));
  }
}
