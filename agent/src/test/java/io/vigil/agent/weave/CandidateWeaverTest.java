package io.vigil.agent.weave;

import static io.vigil.agent.weave.ClassFileHeaderTest.bytesOf;
import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

class CandidateWeaverTest {

  public static class Greeter {
    public String greet(String name) {
      return "hello " + name;
    }
  }

  public static class Other {
    public String greet(String name) {
      return "hi " + name;
    }
  }

  /** Matched by hierarchy, as a servlet that overrides doGet only; declares no advised method. */
  public static class Quiet extends Other {
    public String other() {
      return "quiet";
    }
  }

  public static final class CountingAdvice {
    public static final AtomicInteger ENTERED = new AtomicInteger();

    @Advice.OnMethodEnter
    static void enter() {
      ENTERED.incrementAndGet();
    }
  }

  private final List<String> woven = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CandidateWeaver.Events events = new CandidateWeaver.Events() {
    @Override
    public void woven(String typeName, String module) {
      woven.add(typeName + " (" + module + ")");
    }

    @Override
    public void failed(String typeName, String module, Throwable error) {
      failed.add(typeName + " (" + module + ")");
      failure.set(error);
    }
  };

  static ResolvedAdvice countingAdvice(String adviceClassName) {
    return new ResolvedAdvice(CandidateWeaverTest.class.getClassLoader(), Advice.ExceptionHandler.Default.SUPPRESSING)
        .bind(named("greet"), adviceClassName);
  }

  private static CandidateWeaver.Rule greeting(String adviceClassName, ElementMatcher<? super ClassLoader> loaders) {
    return new CandidateWeaver.Rule("greeting", loaders, named(Greeter.class.getName()), countingAdvice(adviceClassName));
  }

  private CandidateWeaver weaver(CandidateWeaver.Rule... rules) {
    return new CandidateWeaver(new SharedTypeCache(), IgnoredTypes.matcher(), IgnoredTypes.ignoredLoaders(),
        Arrays.asList(rules), events);
  }

  private byte[] load(CandidateWeaver weaver, Class<?> type) throws Exception {
    return weaver.transform(getClass().getClassLoader(), type.getName().replace('.', '/'), null, null, bytesOf(type));
  }

  /** Defines the woven bytes in a child loader; everything else comes from the test's loader. */
  static Class<?> define(String name, byte[] bytes) {
    return new ClassLoader(CandidateWeaverTest.class.getClassLoader()) {
      Class<?> define() {
        return defineClass(name, bytes, 0, bytes.length);
      }
    }.define();
  }

  @Test
  void aMatchedClassIsWovenWithItsRulesAdviceAndReported() throws Exception {
    byte[] bytes = load(weaver(greeting(CountingAdvice.class.getName(), any())), Greeter.class);

    assertNotNull(bytes);
    Class<?> woven = define(Greeter.class.getName(), bytes);
    Object greeter = woven.getDeclaredConstructor().newInstance();
    int before = CountingAdvice.ENTERED.get();
    assertEquals("hello vigil", woven.getMethod("greet", String.class).invoke(greeter, "vigil"));
    assertEquals(before + 1, CountingAdvice.ENTERED.get(), "the advice ran on entry");
    assertEquals(Collections.singletonList(Greeter.class.getName() + " (greeting)"), this.woven);
    assertTrue(failed.isEmpty());
  }

  @Test
  void aClassNoRuleMatchesIsLeftAlone() throws Exception {
    assertNull(load(weaver(greeting(CountingAdvice.class.getName(), any())), Other.class));
    assertTrue(woven.isEmpty());
    assertTrue(failed.isEmpty());
  }

  @Test
  void aMatchedClassThatDeclaresNoAdvisedMethodIsNotRewritten() throws Exception {
    CandidateWeaver weaver = weaver(new CandidateWeaver.Rule(
        "greeting", any(), named(Quiet.class.getName()), countingAdvice(CountingAdvice.class.getName())));
    assertNull(load(weaver, Quiet.class));
    assertTrue(woven.isEmpty(), "nothing would change, so nothing is reported woven: " + woven);
    assertTrue(failed.isEmpty());
  }

  @Test
  void aRuleWhoseLoaderMatcherRefusesDoesNotApply() throws Exception {
    assertNull(load(weaver(greeting(CountingAdvice.class.getName(), none())), Greeter.class));
    assertTrue(woven.isEmpty());
  }

  @Test
  void retransformationsAreNotItsToAnswer() throws Exception {
    CandidateWeaver weaver = weaver(greeting(CountingAdvice.class.getName(), any()));
    assertNull(weaver.transform(getClass().getClassLoader(), Greeter.class.getName().replace('.', '/'),
        Greeter.class, null, bytesOf(Greeter.class)));
    assertTrue(woven.isEmpty());
  }

  @Test
  void aClassLoadedWhileThisThreadWeavesIsNotWovenAgain() throws Exception {
    AtomicReference<byte[]> inner = new AtomicReference<>(new byte[0]);
    AtomicReference<CandidateWeaver> self = new AtomicReference<>();
    ElementMatcher<TypeDescription> reentering = type -> {
      try {
        // As when weaving makes the JVM load another candidate on the same thread.
        inner.set(load(self.get(), Greeter.class));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return type.getName().equals(Greeter.class.getName());
    };
    self.set(weaver(new CandidateWeaver.Rule("greeting", any(), reentering, countingAdvice(CountingAdvice.class.getName()))));

    assertNotNull(load(self.get(), Greeter.class));
    assertNull(inner.get(), "the nested load went through unchanged");
    assertEquals(1, woven.size());
  }

  @Test
  void aFailureLeavesTheClassUnwovenAndNamesItsModule() throws Exception {
    assertNull(load(weaver(greeting("io.vigil.agent.weave.NoSuchAdvice", any())), Greeter.class));
    assertEquals(Collections.singletonList(Greeter.class.getName() + " (greeting)"), failed);
    assertNotNull(failure.get());
    assertTrue(woven.isEmpty());
  }

  @Test
  void theIgnoreListNeedsBothTheTypeAndTheLoaderAsTheAgentBuilderDid() throws Exception {
    CandidateWeaver.Rule rule = greeting(CountingAdvice.class.getName(), any());
    CandidateWeaver ignoring = new CandidateWeaver(new SharedTypeCache(), named(Greeter.class.getName()), any(),
        Collections.singletonList(rule), events);
    assertNull(load(ignoring, Greeter.class));

    CandidateWeaver otherLoadersOnly = new CandidateWeaver(new SharedTypeCache(), named(Greeter.class.getName()),
        none(), Collections.singletonList(rule), events);
    assertNotNull(load(otherLoadersOnly, Greeter.class));
  }
}
