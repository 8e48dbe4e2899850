package io.vigil.agent.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SummaryWindowTest {

  @Test
  void parsesTheThreeWindowsAndNothingElse() {
    assertSame(SummaryWindow.FIVE_MINUTES, SummaryWindow.parse("5m"));
    assertSame(SummaryWindow.ONE_HOUR, SummaryWindow.parse("1h"));
    assertSame(SummaryWindow.ONE_DAY, SummaryWindow.parse("24h"));
    assertSame(SummaryWindow.ONE_DAY, SummaryWindow.parse(" 24h "));
    for (String bad : new String[] {null, "", "7d", "5M", "60m", "1d", "5", "-5m", "24h;"}) {
      assertNull(SummaryWindow.parse(bad), bad);
    }
  }

  @Test
  void secondsAndResolution() {
    assertEquals(300, SummaryWindow.FIVE_MINUTES.seconds());
    assertEquals(3600, SummaryWindow.ONE_HOUR.seconds());
    assertEquals(86400, SummaryWindow.ONE_DAY.seconds());
    assertEquals(60, SummaryWindow.FIVE_MINUTES.resolutionSeconds());
    assertEquals(60, SummaryWindow.ONE_HOUR.resolutionSeconds());
    assertEquals(3600, SummaryWindow.ONE_DAY.resolutionSeconds());
    assertEquals(1, SummaryWindow.ONE_HOUR.timelineMinutes());
    assertEquals(15, SummaryWindow.ONE_DAY.timelineMinutes());
  }

  @Test
  void theWindowIsTheCurrentMinuteAndTheWholeMinutesBeforeIt() {
    long now = 1_000_000;
    assertEquals(now - 4, SummaryWindow.FIVE_MINUTES.firstMinute(now));
    assertEquals(now - 59, SummaryWindow.ONE_HOUR.firstMinute(now));
  }

  @Test
  void theDayStartsOnTheFirstWholeHourInside() {
    long onTheHour = 60L * 500_000;
    // 23 whole hours and the current one.
    assertEquals(onTheHour - 23 * 60, SummaryWindow.ONE_DAY.firstMinute(onTheHour));
    assertEquals(onTheHour - 23 * 60, SummaryWindow.ONE_DAY.firstMinute(onTheHour + 59));
    assertEquals(onTheHour - 22 * 60, SummaryWindow.ONE_DAY.firstMinute(onTheHour + 60));
  }
}
