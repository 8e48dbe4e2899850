package io.vigil.agent.logging;

import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;

/**
 * Where the agent's own log goes: standard error, one line per event, prefixed {@code [vigil]} so
 * operators can grep it out of the application's output. Never the application's logging
 * framework: the agent must not change how, or whether, the application logs.
 */
public final class LogOutput {

  public static final int TRACE = 0;
  public static final int DEBUG = 1;
  public static final int INFO = 2;
  public static final int WARN = 3;
  public static final int ERROR = 4;
  public static final int OFF = 5;

  private static volatile int threshold = INFO;

  private LogOutput() {}

  /** {@code off|error|warn|info|debug|trace}; anything else leaves the level unchanged. */
  public static void setLevel(String level) {
    switch (level.toLowerCase(Locale.ROOT)) {
      case "trace":
        threshold = TRACE;
        break;
      case "debug":
        threshold = DEBUG;
        break;
      case "info":
        threshold = INFO;
        break;
      case "warn":
        threshold = WARN;
        break;
      case "error":
        threshold = ERROR;
        break;
      case "off":
        threshold = OFF;
        break;
      default:
        break;
    }
  }

  static boolean enabled(int level) {
    return level >= threshold;
  }

  static void write(int level, String message, Throwable error) {
    StringBuilder line = new StringBuilder(64 + message.length());
    line.append("[vigil] ")
        .append(new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).format(new Date()))
        .append(' ')
        .append(name(level))
        .append(' ')
        .append(message);
    if (error != null) {
      if (threshold <= DEBUG) {
        appendStackTrace(line, error);
      } else {
        line.append(" (").append(error).append(')');
      }
    }
    PrintStream err = System.err;
    err.println(line);
  }

  private static void appendStackTrace(StringBuilder line, Throwable error) {
    Throwable t = error;
    String prefix = "\n  ";
    for (int depth = 0; t != null && depth < 5; depth++) {
      line.append(prefix).append(t);
      for (StackTraceElement element : t.getStackTrace()) {
        line.append("\n      at ").append(element);
      }
      t = t.getCause();
      prefix = "\n  Caused by: ";
    }
  }

  private static String name(int level) {
    switch (level) {
      case TRACE:
        return "TRACE";
      case DEBUG:
        return "DEBUG";
      case INFO:
        return "INFO ";
      case WARN:
        return "WARN ";
      default:
        return "ERROR";
    }
  }
}
