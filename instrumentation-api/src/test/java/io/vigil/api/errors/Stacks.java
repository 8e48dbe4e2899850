package io.vigil.api.errors;

/** Builds exceptions with made-up stacks, so that tests decide exactly which frames they carry. */
final class Stacks {

  private Stacks() {}

  /** {@code frames} as {@code "com.example.Foo.bar:42"}, innermost first. */
  static <T extends Throwable> T thrownAt(T error, String... frames) {
    StackTraceElement[] stack = new StackTraceElement[frames.length];
    for (int i = 0; i < frames.length; i++) {
      stack[i] = frame(frames[i]);
    }
    error.setStackTrace(stack);
    return error;
  }

  static StackTraceElement frame(String text) {
    int colon = text.lastIndexOf(':');
    String qualified = colon < 0 ? text : text.substring(0, colon);
    int line = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
    int dot = qualified.lastIndexOf('.');
    String className = qualified.substring(0, dot);
    String simple = className.substring(className.lastIndexOf('.') + 1);
    int inner = simple.indexOf('$');
    String file = (inner < 0 ? simple : simple.substring(0, inner)) + ".java";
    return new StackTraceElement(className, qualified.substring(dot + 1), file, line);
  }
}
