package io.vigil.agent.summary;

/**
 * The windows the summary answers for. The short ones are whole minutes from the minute ring; the
 * day reaches past the minute ring into the hourly slots, so its start is rounded to the hour.
 */
public enum SummaryWindow {
  FIVE_MINUTES("5m", 5, 1, 1),
  ONE_HOUR("1h", 60, 1, 1),
  ONE_DAY("24h", 1440, 60, 15);

  /** The 400 message for anything else. */
  public static final String ALLOWED = "window must be one of 5m, 1h or 24h";

  private final String text;
  private final int minutes;
  private final int resolutionMinutes;
  private final int timelineMinutes;

  SummaryWindow(String text, int minutes, int resolutionMinutes, int timelineMinutes) {
    this.text = text;
    this.minutes = minutes;
    this.resolutionMinutes = resolutionMinutes;
    this.timelineMinutes = timelineMinutes;
  }

  /** The window named by {@code text} ({@code 5m}, {@code 1h}, {@code 24h}); null for anything else. */
  public static SummaryWindow parse(String text) {
    if (text == null) {
      return null;
    }
    for (SummaryWindow window : values()) {
      if (window.text.equals(text.trim())) {
        return window;
      }
    }
    return null;
  }

  public String text() {
    return text;
  }

  public long seconds() {
    return minutes * 60L;
  }

  public long resolutionSeconds() {
    return resolutionMinutes * 60L;
  }

  /** Minutes per timeline point. */
  int timelineMinutes() {
    return timelineMinutes;
  }

  /**
   * The first minute (epoch minute number) inside the window that ends in minute {@code nowMinute},
   * which is included: the window's last {@code minutes - 1} whole minutes and the current one,
   * the start rounded up to the resolution, so the window never claims more than it covers.
   */
  long firstMinute(long nowMinute) {
    long first = nowMinute - (minutes - 1);
    long remainder = Math.floorMod(first, (long) resolutionMinutes);
    return remainder == 0 ? first : first + (resolutionMinutes - remainder);
  }
}
