package io.vigil.api.errors;

import static io.vigil.api.errors.Stacks.thrownAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** A corpus of throws shaped like real ones: Spring MVC, CGLIB and Hibernate proxies, lambdas, causes. */
class FingerprintTest {

  /** A Spring MVC controller call below the application's frames, as Tomcat and Spring show it. */
  private static final String[] SPRING_BELOW = {
    "jdk.internal.reflect.DirectMethodHandleAccessor.invoke:103",
    "java.lang.reflect.Method.invoke:580",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke:258",
    "org.springframework.web.servlet.DispatcherServlet.doDispatch:1089",
    "jakarta.servlet.http.HttpServlet.service:658",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter:166",
  };

  private static String[] stack(String... top) {
    String[] all = Arrays.copyOf(top, top.length + SPRING_BELOW.length);
    System.arraycopy(SPRING_BELOW, 0, all, top.length, SPRING_BELOW.length);
    return all;
  }

  private static IllegalStateException ownerMissing(String message, int line) {
    return thrownAt(
        new IllegalStateException(message),
        stack(
            "com.example.clinic.OwnerService.find:" + line,
            "com.example.clinic.OwnerController.show:" + (line + 10)));
  }

  @Test
  void twoThrowsOfOneBugWithDifferentMessagesAreOneGroup() {
    assertEquals(
        Fingerprint.of(ownerMissing("Owner 17 not found", 40)).id(),
        Fingerprint.of(ownerMissing("Owner 'jane' not found for jane@example.com", 40)).id());
  }

  @Test
  void aRedeployThatMovesLinesKeepsTheGroup() {
    assertEquals(Fingerprint.of(ownerMissing("x", 40)).id(), Fingerprint.of(ownerMissing("x", 97)).id());
  }

  @Test
  void theSameTypeFromTwoPlacesIsTwoGroups() {
    IllegalStateException elsewhere =
        thrownAt(
            new IllegalStateException("Owner 17 not found"),
            stack("com.example.clinic.VisitService.book:12", "com.example.clinic.VisitController.create:30"));
    assertNotEquals(Fingerprint.of(ownerMissing("Owner 17 not found", 40)).id(), Fingerprint.of(elsewhere).id());
  }

  @Test
  void anotherTypeFromTheSamePlaceIsAnotherGroup() {
    IllegalArgumentException other =
        thrownAt(
            new IllegalArgumentException("Owner 17 not found"),
            stack("com.example.clinic.OwnerService.find:40", "com.example.clinic.OwnerController.show:50"));
    assertNotEquals(Fingerprint.of(ownerMissing("Owner 17 not found", 40)).id(), Fingerprint.of(other).id());
  }

  @Test
  void usesOnlyTheFirstThreeApplicationFramesSoDifferentCallersOfOneFailingHelperAreOneGroup() {
    Fingerprint viaShow =
        Fingerprint.of(
            thrownAt(
                new IllegalStateException(),
                stack("com.example.A.a:1", "com.example.B.b:2", "com.example.C.c:3", "com.example.D.show:4")));
    Fingerprint viaList =
        Fingerprint.of(
            thrownAt(
                new IllegalStateException(),
                stack("com.example.A.a:1", "com.example.B.b:2", "com.example.C.c:3", "com.example.D.list:9")));
    assertEquals(viaShow.id(), viaList.id());
    assertEquals(Arrays.asList("com.example.A.a", "com.example.B.b", "com.example.C.c"), viaShow.frames());
  }

  @Test
  void skipsPlatformFrameworkAndProxyFramesBetweenApplicationFrames() {
    Fingerprint direct =
        Fingerprint.of(
            thrownAt(
                new NumberFormatException("For input string: \"x\""),
                stack(
                    "java.lang.NumberFormatException.forInputString:67",
                    "java.lang.Integer.parseInt:662",
                    "com.example.clinic.OwnerService.find:40",
                    "com.example.clinic.OwnerController.show:50")));
    Fingerprint throughProxies =
        Fingerprint.of(
            thrownAt(
                new NumberFormatException("For input string: \"y\""),
                stack(
                    "java.lang.NumberFormatException.forInputString:67",
                    "java.lang.Integer.parseInt:662",
                    "com.example.clinic.OwnerService.find:41",
                    "com.example.clinic.OwnerService$$SpringCGLIB$$0.find:-1",
                    "org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept:720",
                    "org.springframework.transaction.interceptor.TransactionInterceptor.invoke:119",
                    "jdk.proxy3.$Proxy91.find:-1",
                    "com.example.clinic.Owner$HibernateProxy$k2Jd8.getName:-1",
                    "io.vigil.servlet.ServletRequestTracker.end:1",
                    "com.example.clinic.OwnerController.show:50")));
    assertEquals(direct.id(), throughProxies.id());
    assertEquals(
        Arrays.asList("com.example.clinic.OwnerService.find", "com.example.clinic.OwnerController.show"),
        direct.frames());
  }

  @Test
  void aLambdaRenumberedByARecompileKeepsTheGroup() {
    Fingerprint before =
        Fingerprint.of(
            thrownAt(
                new ArithmeticException("/ by zero"),
                stack(
                    "com.example.Report.lambda$totals$0:30",
                    "com.example.Report$$Lambda$41/0x0000000800c4b000.apply:-1",
                    "java.util.stream.ReferencePipeline$3$1.accept:197",
                    "com.example.Report.totals:28")));
    Fingerprint after =
        Fingerprint.of(
            thrownAt(
                new ArithmeticException("/ by zero"),
                stack(
                    "com.example.Report.lambda$totals$3:34",
                    "com.example.Report$$Lambda$58/0x0000000800c61000.apply:-1",
                    "java.util.stream.ReferencePipeline$3$1.accept:197",
                    "com.example.Report.totals:31")));
    assertEquals(before.id(), after.id());
    assertEquals(Arrays.asList("com.example.Report.lambda$totals", "com.example.Report.totals"), before.frames());
  }

  @Test
  void theRootCauseTypeTellsWrappedFailuresApart() {
    RuntimeException timeout = wrapped(new java.net.SocketTimeoutException("Read timed out"));
    RuntimeException refused = wrapped(new java.net.ConnectException("Connection refused"));
    Fingerprint a = Fingerprint.of(timeout);
    Fingerprint b = Fingerprint.of(refused);
    assertNotEquals(a.id(), b.id());
    assertEquals("java.net.SocketTimeoutException", a.rootType());
    assertEquals("java.lang.RuntimeException", a.type());
  }

  /** Both thrown in a library and wrapped at one catch site of the application. */
  private static RuntimeException wrapped(Exception cause) {
    thrownAt(cause, "java.net.Socket.connect:600", "org.apache.http.impl.Client.execute:80");
    return thrownAt(
        new RuntimeException("Pricing call failed: " + cause.getMessage(), cause),
        stack("com.example.PricingClient.call:20", "com.example.CartController.total:15"));
  }

  @Test
  void theInnermostExceptionWithApplicationFramesGivesTheFrames() {
    Exception fromLoad =
        thrownAt(new IllegalStateException("bad row"), stack("com.example.Loader.load:10", "com.example.Job.run:5"));
    Exception fromSave =
        thrownAt(new IllegalStateException("bad row"), stack("com.example.Saver.save:10", "com.example.Job.run:6"));
    // The application wraps both at one shared catch site: its frames alone would merge the bugs.
    RuntimeException a = thrownAt(new RuntimeException("job failed", fromLoad), stack("com.example.Job.run:9"));
    RuntimeException b = thrownAt(new RuntimeException("job failed", fromSave), stack("com.example.Job.run:9"));
    assertNotEquals(Fingerprint.of(a).id(), Fingerprint.of(b).id());
    assertEquals(Arrays.asList("com.example.Loader.load", "com.example.Job.run"), Fingerprint.of(a).frames());
  }

  @Test
  void theSqlStateSplitsSqlErrorsFromOneCall() {
    SQLException duplicate = sqlError("Unique index violation: 'jane'", "23505", 23505);
    SQLException missingTable = sqlError("Table 'OWNERS' not found", "42S02", 42102);
    SQLException otherDuplicate = sqlError("Unique index violation: 'bob'", "23505", 23505);
    assertNotEquals(Fingerprint.of(duplicate).id(), Fingerprint.of(missingTable).id());
    assertEquals(Fingerprint.of(duplicate).id(), Fingerprint.of(otherDuplicate).id());
    assertEquals("23505", Fingerprint.of(duplicate).sqlState());
  }

  @Test
  void theSqlStateCountsWhenASqlExceptionIsWrapped() {
    RuntimeException wrappedDuplicate =
        thrownAt(
            new RuntimeException("could not execute statement", sqlError("dup", "23505", 1)),
            "org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate:243",
            "com.example.OwnerRepository.save:20");
    assertEquals("23505", Fingerprint.of(wrappedDuplicate).sqlState());
    assertNull(Fingerprint.of(ownerMissing("x", 1)).sqlState());
  }

  private static SQLException sqlError(String message, String state, int code) {
    return thrownAt(
        new SQLException(message, state, code),
        "org.h2.message.DbException.getJdbcSQLException:514",
        "org.h2.jdbc.JdbcPreparedStatement.executeUpdate:198",
        "com.zaxxer.hikari.pool.ProxyPreparedStatement.executeUpdate:61",
        "com.example.OwnerRepository.save:20",
        "com.example.OwnerController.create:33");
  }

  @Test
  void withoutApplicationFramesTheFirstRealFramesStandIn() {
    Exception a = thrownAt(new IllegalStateException(), "org.example.lib.Pool.take:10", "java.lang.Thread.run:1");
    Exception b = thrownAt(new IllegalStateException(), "org.example.lib.Pool.give:10", "java.lang.Thread.run:1");
    // org.example.* is not a known library, so it is the application's; use a known one instead.
    Exception c = thrownAt(new IllegalStateException(), "com.zaxxer.hikari.pool.HikariPool.getConnection:100");
    Exception d = thrownAt(new IllegalStateException(), "com.zaxxer.hikari.pool.HikariPool.shutdown:100");
    assertNotEquals(Fingerprint.of(a).id(), Fingerprint.of(b).id());
    assertNotEquals(Fingerprint.of(c).id(), Fingerprint.of(d).id());
    assertEquals(Collections.singletonList("com.zaxxer.hikari.pool.HikariPool.getConnection"), Fingerprint.of(c).frames());
  }

  @Test
  void aCauseCycleEnds() {
    Exception first = thrownAt(new IllegalStateException("a"), "com.example.A.a:1");
    Exception second = thrownAt(new IllegalArgumentException("b", first), "com.example.B.b:1");
    first.initCause(second);
    assertEquals("java.lang.IllegalStateException", Fingerprint.of(second).rootType());
  }

  @Test
  void theIdIsSixteenHexDigitsAndStableAcrossReleases() throws Exception {
    Fingerprint fingerprint = Fingerprint.of(ownerMissing("Owner 17 not found", 40));
    assertTrue(fingerprint.id().matches("[0-9a-f]{16}"), fingerprint.id());
    // The documented recipe, computed by hand: a change here regroups every user's errors.
    assertEquals(
        Sha256.first16Hex(
            "v1\njava.lang.IllegalStateException\njava.lang.IllegalStateException\n"
                + "com.example.clinic.OwnerService.find\ncom.example.clinic.OwnerController.show\n"),
        fingerprint.id());
  }
}
