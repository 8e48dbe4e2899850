package io.vigil.api.errors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One exception of a chain as Vigil keeps it: type, message template (never the raw message) and
 * at most {@value #MAX_FRAMES} frames from the top of its stack.
 */
public final class CapturedException {

  public static final int MAX_FRAMES = 50;

  private final String type;
  private final String messageTemplate;
  private final List<StackTraceElement> frames;
  private final int omittedFrames;

  CapturedException(String type, String messageTemplate, List<StackTraceElement> frames, int omittedFrames) {
    this.type = type;
    this.messageTemplate = messageTemplate;
    this.frames = frames;
    this.omittedFrames = omittedFrames;
  }

  static List<CapturedException> of(List<Throwable> chain) {
    List<CapturedException> captured = new ArrayList<CapturedException>(chain.size());
    for (Throwable t : chain) {
      StackTraceElement[] stack = t.getStackTrace();
      int kept = Math.min(stack.length, MAX_FRAMES);
      captured.add(
          new CapturedException(
              t.getClass().getName(),
              MessageTemplate.of(t.getMessage()),
              Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(stack, kept))),
              stack.length - kept));
    }
    return Collections.unmodifiableList(captured);
  }

  public String type() {
    return type;
  }

  /** Null when the exception had no message. */
  public String messageTemplate() {
    return messageTemplate;
  }

  /** Innermost call first, as {@link Throwable#getStackTrace()}. */
  public List<StackTraceElement> frames() {
    return frames;
  }

  public int omittedFrames() {
    return omittedFrames;
  }
}
