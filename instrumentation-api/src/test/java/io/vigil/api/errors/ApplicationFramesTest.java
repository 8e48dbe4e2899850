package io.vigil.api.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApplicationFramesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "com.example.shop.OrderService.place:10, true",
    "com.example.shop.OrderController.lambda$list$0:22, true",
    "com.example.shop.OrderController$1.run:5, true",
    "io.vigil.demo.Clinic.owner:40, true",
    "io.vigil.it.springapp.Controllers.fail:12, true",
    "java.lang.Integer.parseInt:614, false",
    "jdk.internal.reflect.DirectMethodHandleAccessor.invoke:103, false",
    "sun.reflect.NativeMethodAccessorImpl.invoke0:-2, false",
    "javax.servlet.http.HttpServlet.service:764, false",
    "jakarta.servlet.http.HttpServlet.service:658, false",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter:166, false",
    "org.springframework.web.servlet.DispatcherServlet.doDispatch:1089, false",
    "org.springframework.cglib.proxy.MethodProxy.invoke:218, false",
    "org.hibernate.internal.SessionImpl.find:2400, false",
    "org.eclipse.jetty.server.Server.handle:500, false",
    "com.zaxxer.hikari.pool.ProxyPreparedStatement.executeQuery:52, false",
    "org.h2.jdbc.JdbcPreparedStatement.executeQuery:130, false",
    "org.postgresql.jdbc.PgStatement.execute:500, false",
    "com.example.shop.OrderService$$SpringCGLIB$$0.place:-1, false",
    "com.example.shop.OrderService$$EnhancerBySpringCGLIB$$5a1b2c.place:-1, false",
    "com.example.shop.Order$HibernateProxy$Zx91kL.getLines:-1, false",
    "com.example.shop.OrderController$$Lambda$412/0x0000000800d4c000.apply:-1, false",
    "jdk.proxy2.$Proxy87.place:-1, false",
    "com.sun.proxy.$Proxy12.place:-1, false",
    "jdk.internal.reflect.GeneratedMethodAccessor55.invoke:-1, false",
    "com.example.shop.Order_$$_jvst3a1_0.getLines:-1, false",
    "com.example.shop.Repo$ByteBuddy$abc.save:-1, false",
    "io.vigil.agent.AgentStarter.start:40, false",
    "io.vigil.servlet.ServletRequestTracker.end:300, false",
    "io.vigil.shaded.net.bytebuddy.asm.Advice.x:1, false",
    "net.bytebuddy.asm.Advice.x:1, false",
    "kotlin.collections.CollectionsKt.first:100, false",
    "com.fasterxml.jackson.databind.ObjectMapper.readValue:100, false",
  })
  void tellsApplicationFramesFromTheRest(String frame, boolean application) {
    assertEquals(application, ApplicationFrames.isApplication(Stacks.frame(frame)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "place, place",
    "lambda$list$0, lambda$list",
    "lambda$list$12, lambda$list",
    "lambda$static$3, lambda$static",
    "access$000, access$000",
    "run2, run2",
    "lambda$, lambda$",
  })
  void dropsTheCounterJavacGivesALambdaBody(String method, String normalized) {
    assertEquals(normalized, ApplicationFrames.normalizedMethod(method));
  }

  @ParameterizedTest
  @CsvSource({"com.example.A.b:17, com.example.A.b", "com.example.A$Inner.lambda$go$4:99, com.example.A$Inner.lambda$go"})
  void writesAFrameWithoutItsLine(String frame, String normalized) {
    assertEquals(normalized, ApplicationFrames.normalized(Stacks.frame(frame)));
  }
}
