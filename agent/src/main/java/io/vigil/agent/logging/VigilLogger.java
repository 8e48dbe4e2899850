package io.vigil.agent.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** The agent's SLF4J logger: formats the message and hands it to {@link LogOutput}. */
final class VigilLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  VigilLogger(String name) {
    this.name = name;
  }

  @Override
  public boolean isTraceEnabled() {
    return LogOutput.enabled(LogOutput.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return LogOutput.enabled(LogOutput.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return LogOutput.enabled(LogOutput.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return LogOutput.enabled(LogOutput.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return LogOutput.enabled(LogOutput.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
    String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
    LogOutput.write(toInt(level), message == null ? "" : message, throwable);
  }

  private static int toInt(Level level) {
    switch (level) {
      case TRACE:
        return LogOutput.TRACE;
      case DEBUG:
        return LogOutput.DEBUG;
      case INFO:
        return LogOutput.INFO;
      case WARN:
        return LogOutput.WARN;
      default:
        return LogOutput.ERROR;
    }
  }
}
