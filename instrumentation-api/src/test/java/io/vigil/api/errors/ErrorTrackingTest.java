package io.vigil.api.errors;

import static io.vigil.api.errors.Stacks.thrownAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store, the tracker in front of it and the metrics, over a fake clock. */
class ErrorTrackingTest {

  private long now = 1_000_000L;
  private final CollectorRegistry registry = new CollectorRegistry();
  private final List<String> sunk = new ArrayList<String>();

  private ErrorTracking tracking(int maxGroups) {
    ErrorMetrics metrics = new ErrorMetrics(registry);
    ErrorGroups groups = new ErrorGroups(maxGroups, metrics);
    ErrorMetrics.registerGauge(registry, groups);
    ErrorSink sink =
        new ErrorSink() {
          @Override
          public void accept(ErrorEvent event, boolean newGroup) {
            sunk.add(event.fingerprint().id() + (newGroup ? " new" : " again"));
          }
        };
    return new ErrorTracking(
        groups,
        sink,
        "2.3.1",
        new ErrorTracking.Clock() {
          @Override
          public long millis() {
            return now;
          }
        });
  }

  private static Exception bug(String where, String message) {
    return thrownAt(new IllegalStateException(message), "com.example." + where + ":10");
  }

  @Test
  void countsOccurrencesPerGroupWithFirstAndLastSeenRoutesAndTheLastTrace() {
    ErrorTracking tracking = tracking(10);
    tracking.servletError(bug("Owners.show", "Owner 1 missing"), "/owners/{id}", "t1", "s1");
    now += 500;
    tracking.servletError(bug("Owners.show", "Owner 2 missing"), "/owners/{id}/edit", "t2", "s2");
    now += 500;
    tracking.servletError(bug("Owners.show", "Owner 3 missing"), "/owners/{id}", null, null);

    List<ErrorGroup> groups = tracking.groups().recent(0, 100);
    assertEquals(1, groups.size());
    ErrorGroup group = groups.get(0);
    assertEquals(3, group.count());
    assertEquals(1_000_000L, group.firstSeenMillis());
    assertEquals(1_001_000L, group.lastSeenMillis());
    assertEquals(Arrays.asList("/owners/{id}", "/owners/{id}/edit"), group.routes());
    assertEquals("t2", group.lastTraceId());
    assertEquals("Owner <num> missing", group.messageTemplate());
    assertEquals("java.lang.IllegalStateException", group.type());
    assertEquals("servlet", group.source());
    assertEquals("2.3.1", group.serviceVersion());
    assertEquals("com.example.Owners", group.sample().get(0).frames().get(0).getClassName());
    assertEquals(1.0, registry.getSampleValue("vigil_error_groups_new_total"));
    assertEquals(1.0, registry.getSampleValue("vigil_error_groups"));
    String id = group.fingerprint();
    assertEquals(Arrays.asList(id + " new", id + " again", id + " again"), sunk);
  }

  @Test
  void keepsAtMostFiveRoutes() {
    ErrorTracking tracking = tracking(10);
    for (int i = 0; i < 8; i++) {
      tracking.servletError(bug("Shared.helper", "x"), "/r" + i, null, null);
    }
    assertEquals(
        Arrays.asList("/r0", "/r1", "/r2", "/r3", "/r4"), tracking.groups().recent(0, 1).get(0).routes());
  }

  @Test
  void evictsTheLeastRecentlySeenGroupAndCountsIt() {
    ErrorTracking tracking = tracking(2);
    tracking.servletError(bug("A.a", "x"), "/a", null, null);
    now++;
    tracking.servletError(bug("B.b", "x"), "/b", null, null);
    now++;
    tracking.servletError(bug("A.a", "x"), "/a", null, null); // A is now more recent than B
    now++;
    tracking.servletError(bug("C.c", "x"), "/c", null, null); // evicts B

    List<String> routes = new ArrayList<String>();
    for (ErrorGroup group : tracking.groups().recent(0, 10)) {
      routes.add(group.routes().get(0));
    }
    assertEquals(Arrays.asList("/c", "/a"), routes);
    assertEquals(1.0, registry.getSampleValue("vigil_error_groups_evicted_total"));
    assertEquals(3.0, registry.getSampleValue("vigil_error_groups_new_total"));
    assertEquals(2.0, registry.getSampleValue("vigil_error_groups"));

    now++;
    tracking.servletError(bug("B.b", "x"), "/b", null, null);
    assertEquals(4.0, registry.getSampleValue("vigil_error_groups_new_total"), "an evicted group seen again is new again");
  }

  @Test
  void listsMostRecentFirstSinceATimeAndUpToALimit() {
    ErrorTracking tracking = tracking(10);
    for (String where : new String[] {"A.a", "B.b", "C.c", "D.d"}) {
      tracking.servletError(bug(where, "x"), "/" + where, null, null);
      now += 1000;
    }
    List<ErrorGroup> recent = tracking.groups().recent(1_001_000L, 2);
    assertEquals(2, recent.size());
    assertEquals("/D.d", recent.get(0).routes().get(0));
    assertEquals("/C.c", recent.get(1).routes().get(0));
    assertEquals(3, tracking.groups().recent(1_001_000L, 10).size());
  }

  @Test
  void groupsSeenInTheSameMillisecondListTheOneSeenLastFirst() {
    ErrorTracking tracking = tracking(10);
    SQLException sql =
        thrownAt(new SQLException("Table \"NOPE\" not found", "42S02", 42102), "com.example.Reports.run:10");
    tracking.jdbcError(sql, "trace-1", "span-1");
    tracking.servletError(bug("A.a", "x"), "/a", null, null);
    tracking.servletError(bug("B.b", "x"), "/b", null, null);
    assertEquals(Arrays.asList("/b", "/a", null), firstRoutes(tracking.groups().recent(0, 10)));

    tracking.servletError(bug("A.a", "x"), "/a", null, null);
    assertEquals(Arrays.asList("/a", "/b", null), firstRoutes(tracking.groups().recent(0, 10)));
    assertEquals("/a", tracking.groups().recent(0, 1).get(0).routes().get(0));

    // The JDBC error's route arrives when its request ends: no new occurrence, same place.
    tracking.requestEnded("trace-1", "/reports");
    assertEquals(Arrays.asList("/a", "/b", "/reports"), firstRoutes(tracking.groups().recent(0, 10)));
    assertEquals("/a", tracking.groups().recent(0, 1).get(0).routes().get(0));
  }

  private static List<String> firstRoutes(List<ErrorGroup> groups) {
    List<String> routes = new ArrayList<String>();
    for (ErrorGroup group : groups) {
      routes.add(group.routes().isEmpty() ? null : group.routes().get(0));
    }
    return routes;
  }

  @Test
  void aSnapshotDoesNotChangeWhenTheGroupDoes() {
    ErrorTracking tracking = tracking(10);
    tracking.servletError(bug("A.a", "x"), "/a", null, null);
    ErrorGroup snapshot = tracking.groups().recent(0, 1).get(0);
    tracking.servletError(bug("A.a", "x"), "/b", null, null);
    assertEquals(1, snapshot.count());
    assertEquals(Arrays.asList("/a"), snapshot.routes());
  }

  @Test
  void aJdbcErrorKeepsSqlStateAndVendorCodeAndLearnsItsRouteWhenTheRequestEnds() {
    ErrorTracking tracking = tracking(10);
    SQLException error =
        thrownAt(
            new SQLException("Table \"NOPE\" not found; SQL statement: select * from nope where id = 5", "42S02", 42102),
            "org.h2.jdbc.JdbcStatement.executeQuery:100",
            "com.example.Reports.run:10");
    tracking.jdbcError(error, "trace-1", "span-1");
    assertTrue(tracking.awaitingRoutes());
    ErrorGroup before = tracking.groups().recent(0, 1).get(0);
    assertTrue(before.routes().isEmpty());
    assertEquals("jdbc", before.source());
    assertEquals("42S02", before.sqlState());
    assertEquals(Integer.valueOf(42102), before.vendorCode());
    assertEquals("Table \"<str>\" not found; SQL statement: select * from nope where id = <num>", before.messageTemplate());

    tracking.requestEnded("another-trace", "/elsewhere");
    tracking.requestEnded("trace-1", "/reports");
    assertFalse(tracking.awaitingRoutes());
    assertEquals(Arrays.asList("/reports"), tracking.groups().recent(0, 1).get(0).routes());
  }

  @Test
  void aJdbcErrorOutsideAnyTraceWaitsForNothing() {
    ErrorTracking tracking = tracking(10);
    tracking.jdbcError(new SQLException("x", "08001"), null, null);
    assertFalse(tracking.awaitingRoutes());
    assertEquals(1, tracking.groups().size());
  }

  @Test
  void theWaitingListIsBounded() {
    ErrorTracking tracking = tracking(10);
    SQLException error = new SQLException("x", "08001");
    for (int i = 0; i < PendingRoutes.MAX_PENDING + 10; i++) {
      tracking.jdbcError(error, "trace-" + i, null);
    }
    tracking.requestEnded("trace-0", "/evicted-before-its-request-ended");
    tracking.requestEnded("trace-" + (PendingRoutes.MAX_PENDING + 9), "/kept");
    assertEquals(Arrays.asList("/kept"), tracking.groups().recent(0, 1).get(0).routes());
  }

  @Test
  void theSampleIsBoundedAndCarriesTemplatesNeverRawMessages() {
    ErrorTracking tracking = tracking(10);
    String[] deep = new String[CapturedException.MAX_FRAMES + 20];
    for (int i = 0; i < deep.length; i++) {
      deep[i] = "com.example.Deep.level" + i + ":" + i;
    }
    Exception cause = thrownAt(new IllegalArgumentException("bad email jane@example.com"), deep);
    tracking.servletError(thrownAt(new RuntimeException("wrapped 42", cause), "com.example.W.w:1"), "/d", null, null);
    ErrorGroup group = tracking.groups().recent(0, 1).get(0);
    assertEquals(2, group.sample().size());
    assertEquals("wrapped <num>", group.sample().get(0).messageTemplate());
    assertEquals("bad email <email>", group.sample().get(1).messageTemplate());
    assertEquals(CapturedException.MAX_FRAMES, group.sample().get(1).frames().size());
    assertEquals(20, group.sample().get(1).omittedFrames());
    assertEquals("java.lang.IllegalArgumentException", group.rootType());
  }

  @Test
  void noErrorRecordsNothing() {
    ErrorTracking tracking = tracking(10);
    tracking.servletError(null, "/a", null, null);
    assertEquals(0, tracking.groups().size());
    assertEquals(0.0, registry.getSampleValue("vigil_error_groups_new_total"));
  }
}
