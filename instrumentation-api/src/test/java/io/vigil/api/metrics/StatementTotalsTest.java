package io.vigil.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class StatementTotalsTest {

  @Test
  void oneEntryPerSystemAndText() {
    StatementTotals totals = new StatementTotals(10);
    StatementTotals.Statement a = totals.statement("h2database", "SELECT ?", "SELECT", null);
    assertSame(a, totals.statement("h2database", "SELECT ?", "SELECT", null));
    assertNotSame(a, totals.statement("postgresql", "SELECT ?", "SELECT", null));
    a.record(5, false);
    a.record(7, true);
    assertEquals(2, a.count());
    assertEquals(1, a.errors());
    assertEquals(12, a.nanos());
    assertEquals(2, totals.all().size(), "the empty _OTHER entry is not listed");
  }

  @Test
  void pastTheCapEveryNewStatementIsOtherAndCounted() {
    StatementTotals totals = new StatementTotals(2);
    StatementTotals.Statement first = totals.statement("s", "1", null, null);
    totals.statement("s", "2", null, null);
    StatementTotals.Statement third = totals.statement("s", "3", null, null);
    StatementTotals.Statement fourth = totals.statement("s", "4", null, null);
    assertSame(third, fourth);
    assertEquals(StatementTotals.OTHER, third.text());
    assertSame(first, totals.statement("s", "1", null, null), "known statements keep their entry");
    third.record(1, false);
    fourth.record(1, false);
    List<StatementTotals.Statement> all = totals.all();
    assertEquals(3, all.size());
    assertSame(third, all.get(2));
    assertEquals(2, all.get(2).count());
  }

  @Test
  void racingThreadsNeverPassTheCap() throws Exception {
    StatementTotals totals = new StatementTotals(50);
    Set<StatementTotals.Statement> seen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          seen.add(totals.statement("s", "statement " + i, null, null));
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(51, seen.size(), "50 statements and _OTHER");
  }

  @Test
  void aNegativeCapIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StatementTotals(-1));
  }
}
