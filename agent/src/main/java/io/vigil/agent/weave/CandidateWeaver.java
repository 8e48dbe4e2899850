package io.vigil.agent.weave;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves the classes {@link DeferredWeaving} hands over (first loads of candidates only, never a
 * retransformation) with Byte Buddy's advice, without Byte Buddy's {@code AgentBuilder}: describe
 * the type from its class file, run each rule's loader and type matchers, decorate the class with
 * the advice of every rule that matched. That is all the {@code AgentBuilder} did here, and
 * building it cost the start-up more than the weaving: its transformer generates a subclass of
 * itself with Byte Buddy's full class-making machinery on Java 9 and later (some 400 classes and
 * 150 ms, spent while the application's first candidate class waits).
 *
 * <p>As there: the advice only decorates methods (no class format changes), the types'
 * descriptions are shared across loads ({@link SharedTypeCache}), a class that loads while this
 * thread is weaving is left alone (no re-entry), the agent's ignore list applies, and every
 * failure leaves that class unwoven, reported once through {@link Events}. Unlike there, a class
 * that declares no method its rules' advice applies to is not rewritten at all.
 */
final class CandidateWeaver implements ClassFileTransformer {

  /** What becomes of a class: the installer's log lines and error counts. */
  interface Events {
    void woven(String typeName, String module);

    void failed(String typeName, String module, Throwable error);
  }

  /** One type instrumentation of one module: which loaders and types, and the advice to apply. */
  static final class Rule {
    final String module;
    final ElementMatcher<? super ClassLoader> loaders;
    final ElementMatcher<? super TypeDescription> types;
    final ResolvedAdvice advice;

    Rule(String module, ElementMatcher<? super ClassLoader> loaders, ElementMatcher<? super TypeDescription> types,
        ResolvedAdvice advice) {
      this.module = module;
      this.loaders = loaders;
      this.types = types;
      this.advice = advice;
    }

    /** The loader and the type match, and the advice would change a method the type declares. */
    boolean appliesTo(ClassLoader loader, TypeDescription type) {
      return loaders.matches(loader) && types.matches(type) && advice.appliesTo(type);
    }
  }

  private static final Object WEAVING = new Object();

  /**
   * Advice changes only the methods a class declares, so the decorated class needs only those:
   * Byte Buddy's default method graph walks every super class and interface of the type (all of
   * {@code java.sql.Connection} for a driver's connection), a quarter of the weaving time on the
   * demo's main thread.
   */
  private final ByteBuddy byteBuddy = new ByteBuddy()
      .with(TypeValidation.DISABLED)
      .with(Implementation.Context.Disabled.Factory.INSTANCE)
      .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
  private final AgentBuilder.PoolStrategy pools;
  private final ElementMatcher<? super TypeDescription> ignoredTypes;
  private final ElementMatcher<? super ClassLoader> ignoredLoaders;
  private final List<Rule> rules;
  private final Events events;
  private final ThreadLocal<Object> weavingOnThisThread = new ThreadLocal<>();

  CandidateWeaver(AgentBuilder.PoolStrategy pools, ElementMatcher<? super TypeDescription> ignoredTypes,
      ElementMatcher<? super ClassLoader> ignoredLoaders, List<Rule> rules, Events events) {
    this.pools = pools;
    this.ignoredTypes = ignoredTypes;
    this.ignoredLoaders = ignoredLoaders;
    this.rules = Collections.unmodifiableList(new ArrayList<>(rules));
    this.events = events;
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> classBeingRedefined, ProtectionDomain domain, byte[] classFile) {
    if (internalName == null || classFile == null || classBeingRedefined != null
        || weavingOnThisThread.get() != null) {
      return null;
    }
    weavingOnThisThread.set(WEAVING);
    String typeName = internalName.replace('/', '.');
    String module = null;
    try {
      ClassFileLocator classFiles = new ClassFileLocator.Compound(
          ClassFileLocator.Simple.of(typeName, classFile), ClassFileLocator.ForClassLoader.of(loader));
      TypePool pool = pools.typePool(classFiles, loader, typeName);
      TypeDescription type = pool.describe(typeName).resolve();
      // The same test as the AgentBuilder's ignore(types, loaders): both must hold.
      if (ignoredLoaders.matches(loader) && ignoredTypes.matches(type)) {
        return null;
      }
      DynamicType.Builder<?> builder = null;
      for (Rule rule : rules) {
        if (!rule.appliesTo(loader, type)) {
          continue;
        }
        if (builder == null) {
          builder = byteBuddy.decorate(type, classFiles);
        }
        module = rule.module;
        builder = rule.advice.transform(builder, type, loader, null, domain);
      }
      if (builder == null) {
        return null;
      }
      byte[] woven = builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
      events.woven(typeName, module);
      return woven;
    } catch (Throwable error) {
      events.failed(typeName, module, error);
      return null;
    } finally {
      weavingOnThisThread.remove();
    }
  }
}
