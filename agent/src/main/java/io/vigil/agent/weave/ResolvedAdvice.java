package io.vigil.agent.weave;

import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * One type instrumentation's advice, applied to the methods it names. Byte Buddy's {@code
 * ForAdvice} reads and resolves every advice class again for each class it weaves (its class
 * file, annotations, parameter bindings), which made resolving advice most of the time a woven
 * class took to load. Here each class loader's resolution is kept and reused by every class woven
 * in that loader: per loader, since the advice's parameter types (a {@code ServletRequest}) are
 * the ones that loader sees.
 *
 * <p>Kept as the type descriptions are ({@link SharedTypeCache}): weakly, from one garbage
 * collection to the next, long enough for a burst of class loading and never long enough to pin
 * a loader (a resolved advice refers to its loader's class files).
 */
final class ResolvedAdvice implements AgentBuilder.Transformer {

  private final List<ElementMatcher<? super MethodDescription>> methods = new ArrayList<>();
  private final List<String> adviceClassNames = new ArrayList<>();
  private final Advice.ExceptionHandler exceptionHandler;
  private final ClassFileLocator agentClassFiles;
  private final Map<ClassLoader, WeakReference<Advice[]>> byLoader = new WeakHashMap<>();
  private WeakReference<Advice[]> forBootLoader = new WeakReference<>(null);
  private int resolutions;

  ResolvedAdvice(ClassLoader agentLoader, Advice.ExceptionHandler exceptionHandler) {
    this.agentClassFiles = ClassFileLocator.ForClassLoader.of(agentLoader);
    this.exceptionHandler = exceptionHandler;
  }

  /** Adds advice for {@code methods}; all of it is bound before the first class is woven. */
  ResolvedAdvice bind(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
    this.methods.add(methods);
    this.adviceClassNames.add(adviceClassName);
    return this;
  }

  /**
   * Whether some advice applies to a method the type declares (advice never touches an abstract or
   * native one). A type matched only for its hierarchy, such as an application's servlet that
   * overrides {@code doGet} but not {@code service}, would otherwise be rewritten unchanged.
   */
  boolean appliesTo(TypeDescription type) {
    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
      if (method.isAbstract() || method.isNative()) {
        continue;
      }
      for (ElementMatcher<? super MethodDescription> advised : methods) {
        if (advised.matches(method)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
      JavaModule module, ProtectionDomain domain) {
    Advice[] advice = resolvedFor(loader);
    for (int i = 0; i < advice.length; i++) {
      builder = builder.visit(advice[i].on(methods.get(i)));
    }
    return builder;
  }

  private synchronized Advice[] resolvedFor(ClassLoader loader) {
    WeakReference<Advice[]> held = loader == null ? forBootLoader : byLoader.get(loader);
    Advice[] advice = held == null ? null : held.get();
    if (advice == null) {
      advice = resolve(loader);
      if (loader == null) {
        forBootLoader = new WeakReference<>(advice);
      } else {
        byLoader.put(loader, new WeakReference<>(advice));
      }
    }
    return advice;
  }

  /** As Byte Buddy's {@code ForAdvice} does per class: the agent's class files first, then the loader's. */
  private Advice[] resolve(ClassLoader loader) {
    resolutions++;
    ClassFileLocator classFiles = new ClassFileLocator.Compound(agentClassFiles, ClassFileLocator.ForClassLoader.of(loader));
    TypePool pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(classFiles, loader);
    Advice[] advice = new Advice[adviceClassNames.size()];
    for (int i = 0; i < advice.length; i++) {
      advice[i] = Advice.to(pool.describe(adviceClassNames.get(i)).resolve(), classFiles)
          .withExceptionHandler(exceptionHandler);
    }
    return advice;
  }

  /** How many times the advice was resolved, for tests. */
  synchronized int resolutions() {
    return resolutions;
  }
}
