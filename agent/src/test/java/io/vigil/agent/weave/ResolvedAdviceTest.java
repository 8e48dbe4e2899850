package io.vigil.agent.weave;

import static io.vigil.agent.weave.ClassFileHeaderTest.bytesOf;
import static io.vigil.agent.weave.CandidateWeaverTest.countingAdvice;
import static io.vigil.agent.weave.CandidateWeaverTest.define;
import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vigil.agent.weave.CandidateWeaverTest.CountingAdvice;
import io.vigil.agent.weave.CandidateWeaverTest.Greeter;
import io.vigil.agent.weave.CandidateWeaverTest.Other;
import java.util.Collections;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

class ResolvedAdviceTest {

  private final ResolvedAdvice advice = countingAdvice(CountingAdvice.class.getName());
  private final CandidateWeaver weaver = new CandidateWeaver(new SharedTypeCache(), ElementMatchers.none(),
      ElementMatchers.none(),
      Collections.singletonList(new CandidateWeaver.Rule("greeting", any(),
          named(Greeter.class.getName()).or(named(Other.class.getName())), advice)),
      new CandidateWeaver.Events() {
        @Override
        public void woven(String typeName, String module) {}

        @Override
        public void failed(String typeName, String module, Throwable error) {
          throw new AssertionError("weaving " + typeName + " failed", error);
        }
      });

  private byte[] weave(ClassLoader loader, Class<?> type) throws Exception {
    return weaver.transform(loader, type.getName().replace('.', '/'), null, null, bytesOf(type));
  }

  @Test
  void everyClassWovenInALoaderReusesOneResolution() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    byte[] greeter = weave(loader, Greeter.class);
    byte[] other = weave(loader, Other.class);

    assertEquals(1, advice.resolutions(), "the advice class is read and resolved once for the loader");
    for (Class<?> woven : new Class<?>[] {define(Greeter.class.getName(), greeter), define(Other.class.getName(), other)}) {
      int before = CountingAdvice.ENTERED.get();
      woven.getMethod("greet", String.class).invoke(woven.getDeclaredConstructor().newInstance(), "x");
      assertEquals(before + 1, CountingAdvice.ENTERED.get(), "the reused advice runs in " + woven.getName());
    }
  }

  @Test
  void eachLoaderGetsItsOwnResolution() throws Exception {
    ClassLoader child = new ClassLoader(getClass().getClassLoader()) {};
    assertNotNull(weave(getClass().getClassLoader(), Greeter.class));
    assertNotNull(weave(child, Greeter.class));
    assertNotNull(weave(child, Other.class));

    // The advice's parameter types are the ones each loader sees.
    assertEquals(2, advice.resolutions());
  }
}
