package io.vigil.agent.logging;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends what the OpenTelemetry SDK logs through {@code java.util.logging} (its exporter's "Failed
 * to export spans..." lines, up to five a minute) to the agent's log at debug level instead of the
 * application's console: the agent says the same once a minute in its own words, with the counter
 * to watch. With {@code log.level=debug} every SDK line is there.
 */
public final class SdkLogBridge {

  /** Held: java.util.logging keeps loggers weakly, and a collected one would forget this setup. */
  private static Logger sdkLogger;

  private SdkLogBridge() {}

  public static synchronized void install() {
    if (sdkLogger != null) {
      return;
    }
    // The SDK's root logger name, relocated in the agent jar as the SDK's classes are.
    String name = CompletableResultCode.class.getName();
    String root = name.substring(0, name.indexOf(".sdk.common."));
    Logger logger = Logger.getLogger(root);
    logger.setUseParentHandlers(false);
    logger.setLevel(LogOutput.enabled(LogOutput.DEBUG) ? Level.FINE : Level.OFF);
    logger.addHandler(new ToAgentLog());
    sdkLogger = logger;
  }

  private static final class ToAgentLog extends Handler {
    private final Formatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      if (record != null && isLoggable(record)) {
        LogOutput.write(LogOutput.DEBUG, "OpenTelemetry SDK: " + formatter.formatMessage(record), record.getThrown());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
