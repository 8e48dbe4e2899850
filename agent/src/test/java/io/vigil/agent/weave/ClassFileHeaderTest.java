package io.vigil.agent.weave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class ClassFileHeaderTest {

  static byte[] bytesOf(Class<?> type) {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Holds a long and a double constant (two pool entries each), strings, a lambda (indy, method handles). */
  abstract static class Dense implements Callable<String>, Serializable, Runnable {
    static final long BIG = 1234567890123L;
    static final double PI = 3.14159;
    final String text = "caf\u00e9 \u20ac";

    @Override
    public void run() {
      Runnable r = () -> System.out.println(BIG + PI + text);
      r.run();
    }
  }

  interface Marker extends Runnable, Comparable<String> {}

  static class \u00c9t\u00e9Cl\u00e4ss {}

  @Test
  void readsNameSuperClassAndInterfacesInDeclarationOrder() {
    ClassFileHeader header = ClassFileHeader.read(bytesOf(Dense.class));
    assertEquals("io/vigil/agent/weave/ClassFileHeaderTest$Dense", header.name());
    assertEquals("java/lang/Object", header.superName());
    assertArrayEquals(
        new String[] {"java/util/concurrent/Callable", "java/io/Serializable", "java/lang/Runnable"},
        header.interfaces());
    assertArrayEquals(
        new String[] {"java/lang/Object", "java/util/concurrent/Callable", "java/io/Serializable", "java/lang/Runnable"},
        header.directSuperTypes());
    assertFalse(header.isInterface());
  }

  @Test
  void anInterfaceNamesObjectAsSuperClassAndItsExtendedInterfaces() {
    ClassFileHeader header = ClassFileHeader.read(bytesOf(Marker.class));
    assertTrue(header.isInterface());
    assertEquals("java/lang/Object", header.superName());
    assertEquals(Arrays.asList("java/lang/Runnable", "java/lang/Comparable"), Arrays.asList(header.interfaces()));
  }

  @Test
  void objectHasNoSuperType() {
    ClassFileHeader header = ClassFileHeader.read(bytesOf(Object.class));
    assertEquals("java/lang/Object", header.name());
    assertNull(header.superName());
    assertEquals(0, header.directSuperTypes().length);
  }

  @Test
  void jdkClassesOfTheRunningJdkParse() {
    for (Class<?> type : new Class<?>[] {String.class, java.util.HashMap.class, java.sql.Connection.class,
        java.util.concurrent.ConcurrentHashMap.class, Thread.class}) {
      ClassFileHeader header = ClassFileHeader.read(bytesOf(type));
      assertEquals(type.getName().replace('.', '/'), header.name());
      String expectedSuper = type.getSuperclass() == null ? (type.isInterface() ? "java/lang/Object" : null)
          : type.getSuperclass().getName().replace('.', '/');
      assertEquals(expectedSuper, header.superName(), type.getName());
      assertEquals(type.getInterfaces().length, header.interfaces().length, type.getName());
    }
  }

  @Test
  void nonAsciiNamesDecodeFromModifiedUtf8() {
    ClassFileHeader header = ClassFileHeader.read(bytesOf(\u00c9t\u00e9Cl\u00e4ss.class));
    assertEquals("io/vigil/agent/weave/ClassFileHeaderTest$\u00c9t\u00e9Cl\u00e4ss", header.name());
    byte[] utf8 = "a\u00e9\u20ac".getBytes(StandardCharsets.UTF_8);
    assertEquals("a\u00e9\u20ac", ClassFileHeader.modifiedUtf8(utf8, 0, utf8.length));
    // Modified UTF-8 writes U+0000 as two bytes.
    assertEquals("\u0000", ClassFileHeader.modifiedUtf8(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> ClassFileHeader.modifiedUtf8(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, 0, 4));
    assertThrows(IllegalArgumentException.class,
        () -> ClassFileHeader.modifiedUtf8(new byte[] {'a', (byte) 0xE2, (byte) 0x82}, 0, 2));
  }

  @Test
  void whatIsNotAClassFileIsRefusedNeverMisread() {
    assertThrows(IllegalArgumentException.class, () -> ClassFileHeader.read(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> ClassFileHeader.read("not a class".getBytes(StandardCharsets.US_ASCII)));
    byte[] good = bytesOf(Dense.class);
    for (int length : new int[] {4, 9, 10, 11, 40, good.length / 2}) {
      assertThrows(IllegalArgumentException.class, () -> ClassFileHeader.read(Arrays.copyOf(good, length)), "length " + length);
    }
    byte[] badTag = good.clone();
    badTag[10] = 99;
    assertThrows(IllegalArgumentException.class, () -> ClassFileHeader.read(badTag));
  }
}
