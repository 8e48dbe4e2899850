package io.vigil.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdbcTelemetryTest {

  private final List<String> calls = new ArrayList<>();

  @AfterEach
  void reset() {
    JdbcTelemetry.install(null);
    assertEquals(0, JdbcTelemetry.depth(), "every start was paired with an end");
  }

  @Test
  void withoutHandlerEverythingIsANoOpThatKeepsTheDepthBalanced() {
    Object state = JdbcTelemetry.start(new Object(), "SELECT 1");
    assertNotNull(state, "the exit advice needs a token to lower the depth");
    assertEquals(1, JdbcTelemetry.depth());
    JdbcTelemetry.end(state, null);
    JdbcTelemetry.prepared(new Object(), new Object(), "SELECT 1");
    JdbcTelemetry.exitAddBatch(JdbcTelemetry.enterAddBatch(), new Object(), "SELECT 1", null);
    JdbcTelemetry.clearBatch(new Object());
  }

  @Test
  void onlyTheOutermostOfNestedCallsReachesTheHandler() {
    JdbcTelemetry.install(new Recording());
    Object proxy = "proxy";
    Object driver = "driver";

    Object outer = JdbcTelemetry.start(proxy, "SELECT 1");
    Object inner = JdbcTelemetry.start(driver, "SELECT 1");
    Object innermost = JdbcTelemetry.startPrepared(driver);
    JdbcTelemetry.end(innermost, null);
    JdbcTelemetry.end(inner, null);
    JdbcTelemetry.end(outer, null);

    assertEquals(List.of("start proxy SELECT 1", "end proxy null"), calls);
  }

  @Test
  void theDepthComesBackDownWhenTheCallThrows() {
    JdbcTelemetry.install(new Recording());
    RuntimeException failure = new RuntimeException("x");
    Object outer = JdbcTelemetry.startBatch("proxy");
    JdbcTelemetry.end(JdbcTelemetry.startBatch("driver"), failure);
    JdbcTelemetry.end(outer, failure);
    JdbcTelemetry.end(JdbcTelemetry.startBatch("next"), null);

    assertEquals(List.of("batch proxy", "end proxy x", "batch next", "end next null"), calls);
  }

  @Test
  void addBatchRecordsOnlyOutermostSuccesses() {
    JdbcTelemetry.install(new Recording());
    Object outer = JdbcTelemetry.enterAddBatch();
    Object inner = JdbcTelemetry.enterAddBatch();
    JdbcTelemetry.exitAddBatch(inner, "driver", "INSERT", null);
    JdbcTelemetry.exitAddBatch(outer, "proxy", "INSERT", null);
    JdbcTelemetry.exitAddBatch(JdbcTelemetry.enterAddBatch(), "proxy", "BAD", new RuntimeException());
    JdbcTelemetry.exitAddBatch(JdbcTelemetry.enterAddBatch(), "proxy", null, null);

    assertEquals(List.of("addBatch proxy INSERT", "addBatch proxy null"), calls);
  }

  @Test
  void aThrowingHandlerNeverReachesTheCaller() {
    JdbcTelemetry.install(new Recording() {
      @Override
      public Object start(Object statement, String sql) {
        throw new IllegalStateException("broken agent");
      }

      @Override
      public void end(Object state, Throwable error) {
        throw new IllegalStateException("broken agent");
      }

      @Override
      public void prepared(Object connection, Object statement, String sql) {
        throw new IllegalStateException("broken agent");
      }
    });
    Object state = JdbcTelemetry.start("s", "SELECT 1");
    assertNotNull(state);
    JdbcTelemetry.end(state, null);
    JdbcTelemetry.prepared("c", "s", "SELECT 1");
  }

  @Test
  void theHandlersStateIsHandedBackToEnd() {
    Object token = new Object();
    List<Object> ended = new ArrayList<>();
    JdbcTelemetry.install(new Recording() {
      @Override
      public Object startPrepared(Object statement) {
        return token;
      }

      @Override
      public void end(Object state, Throwable error) {
        ended.add(state);
      }
    });
    JdbcTelemetry.end(JdbcTelemetry.startPrepared("s"), null);
    assertEquals(1, ended.size());
    assertSame(token, ended.get(0));
  }

  @Test
  void anEndWithoutStartChangesNothing() {
    JdbcTelemetry.install(new Recording());
    JdbcTelemetry.end(null, null);
    JdbcTelemetry.exitAddBatch(null, "s", "x", null);
    assertEquals(List.of(), calls);
  }

  private class Recording implements JdbcTelemetry.Handler {
    @Override
    public Object start(Object statement, String sql) {
      calls.add("start " + statement + " " + sql);
      return statement;
    }

    @Override
    public Object startPrepared(Object statement) {
      calls.add("prepared " + statement);
      return statement;
    }

    @Override
    public Object startBatch(Object statement) {
      calls.add("batch " + statement);
      return statement;
    }

    @Override
    public void end(Object state, Throwable error) {
      calls.add("end " + state + " " + (error == null ? null : error.getMessage()));
    }

    @Override
    public void prepared(Object connection, Object statement, String sql) {
      calls.add("prepare " + statement + " " + sql);
    }

    @Override
    public void addBatch(Object statement, String sql) {
      calls.add("addBatch " + statement + " " + sql);
    }

    @Override
    public void clearBatch(Object statement) {
      calls.add("clear " + statement);
    }

    @Override
    public void closed(Object statement) {
      calls.add("closed " + statement);
    }
  }
}
