package io.vigil.agent.weave;

import java.util.Arrays;

/**
 * A class file's own name, its super class and its interfaces, read from the constant pool and
 * the few fields after it; the rest of the file (fields, methods, attributes) is never looked at.
 * This is all the weaving pre-filter needs to know of a class, at a fraction of what parsing it
 * into a type description costs. Names are internal ({@code java/lang/Object}).
 */
final class ClassFileHeader {

  private static final int MAGIC = 0xCAFEBABE;
  private static final int ACC_INTERFACE = 0x0200;

  private final String name;
  private final String superName;
  private final String[] interfaces;
  private final int access;

  private ClassFileHeader(String name, String superName, String[] interfaces, int access) {
    this.name = name;
    this.superName = superName;
    this.interfaces = interfaces;
    this.access = access;
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a class file this reader understands
   *     (the caller then treats the class as unknown, never as rejected)
   */
  static ClassFileHeader read(byte[] b) {
    try {
      if (u4(b, 0) != MAGIC) {
        throw new IllegalArgumentException("not a class file");
      }
      int count = u2(b, 8);
      int[] offsets = new int[count];
      int at = 10;
      for (int i = 1; i < count; i++) {
        offsets[i] = at;
        int tag = b[at] & 0xFF;
        switch (tag) {
          case 1: // Utf8
            at += 3 + u2(b, at + 1);
            break;
          case 7: // Class
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            at += 3;
            break;
          case 15: // MethodHandle
            at += 4;
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            at += 5;
            break;
          case 5: // Long
          case 6: // Double: takes two entries
            at += 9;
            i++;
            break;
          default:
            throw new IllegalArgumentException("unknown constant pool tag " + tag + " at entry " + i);
        }
      }
      int access = u2(b, at);
      String name = className(b, offsets, u2(b, at + 2));
      int superIndex = u2(b, at + 4);
      String superName = superIndex == 0 ? null : className(b, offsets, superIndex);
      int interfaceCount = u2(b, at + 6);
      String[] interfaces = new String[interfaceCount];
      for (int i = 0; i < interfaceCount; i++) {
        interfaces[i] = className(b, offsets, u2(b, at + 8 + 2 * i));
      }
      return new ClassFileHeader(name, superName, interfaces, access);
    } catch (ArrayIndexOutOfBoundsException truncated) {
      throw new IllegalArgumentException("truncated class file", truncated);
    }
  }

  String name() {
    return name;
  }

  /** Null for {@code java/lang/Object} and {@code module-info}. */
  String superName() {
    return superName;
  }

  String[] interfaces() {
    return interfaces.clone();
  }

  boolean isInterface() {
    return (access & ACC_INTERFACE) != 0;
  }

  /** Super class, then the interfaces: every type this class names as its direct super type. */
  String[] directSuperTypes() {
    if (superName == null) {
      return interfaces.clone();
    }
    String[] all = new String[interfaces.length + 1];
    all[0] = superName;
    System.arraycopy(interfaces, 0, all, 1, interfaces.length);
    return all;
  }

  private static String className(byte[] b, int[] offsets, int index) {
    int at = offsets[index];
    if ((b[at] & 0xFF) != 7) {
      throw new IllegalArgumentException("constant " + index + " is not a class");
    }
    int utf8 = offsets[u2(b, at + 1)];
    if ((b[utf8] & 0xFF) != 1) {
      throw new IllegalArgumentException("constant " + index + " does not name a Utf8 entry");
    }
    return modifiedUtf8(b, utf8 + 3, u2(b, utf8 + 1));
  }

  /** The class file's modified UTF-8: one to three bytes per char, no four-byte forms. */
  static String modifiedUtf8(byte[] b, int from, int length) {
    char[] chars = new char[length];
    int n = 0;
    int at = from;
    int end = from + length;
    while (at < end) {
      int c = b[at++] & 0xFF;
      if (c < 0x80) {
        chars[n++] = (char) c;
      } else if ((c & 0xE0) == 0xC0 && at < end) {
        chars[n++] = (char) (((c & 0x1F) << 6) | (b[at++] & 0x3F));
      } else if ((c & 0xF0) == 0xE0 && at + 1 < end) {
        chars[n++] = (char) (((c & 0x0F) << 12) | ((b[at++] & 0x3F) << 6) | (b[at++] & 0x3F));
      } else {
        throw new IllegalArgumentException("malformed or cut modified UTF-8 at byte " + (at - 1));
      }
    }
    return new String(chars, 0, n);
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static int u4(byte[] b, int at) {
    return (u2(b, at) << 16) | u2(b, at + 2);
  }

  @Override
  public String toString() {
    return name + " extends " + superName + " implements " + Arrays.toString(interfaces);
  }
}
