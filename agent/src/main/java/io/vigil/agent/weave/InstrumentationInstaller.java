package io.vigil.agent.weave;

import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.bootstrap.AdviceErrors;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the one {@link AgentBuilder}: each enabled module contributes its type matchers and
 * advice; the ignore list and class-loader pre-filters keep matching cheap; every suppressed
 * advice error and every failed transformation is counted in {@code
 * vigil_agent_instrumentation_errors_total{instrumentation}} and logged without a stack trace
 * flood.
 */
public final class InstrumentationInstaller {

  private static final Logger log = LoggerFactory.getLogger(InstrumentationInstaller.class);

  /** Which module's transformer is running on this thread, to attribute a failure to it. */
  private static final ThreadLocal<String> TRANSFORMING = new ThreadLocal<>();

  private final AgentMetrics metrics;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile CandidateFilter filter;

  public InstrumentationInstaller(AgentMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * Installs the weaving of every planned module at once: one {@link AgentBuilder}, its transformer
   * registered with the JVM before this returns, behind the pre-filter when every instrumentation
   * names its candidates. A module whose type instrumentations cannot be built is left out, logged
   * and counted; the others go on.
   *
   * @param lateAttach true when attached to a running JVM (agentmain), false in premain
   * @return the modules that are woven, for {@link #activate}
   */
  public List<InstrumentationModule> weave(Instrumentation instrumentation, WeavingPlan plan, boolean lateAttach) {
    // In premain no application class is loaded yet, so walking the loaded classes is wasted
    // start-up time; attached to a running JVM, the classes already loaded must be retransformed.
    AgentBuilder.RedefinitionStrategy redefinition = lateAttach
        ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
        : AgentBuilder.RedefinitionStrategy.DISABLED;
    List<InstrumentationModule> woven = new ArrayList<>();
    AgentBuilder builder = builder(plan, redefinition, woven);
    filter = CandidateFilter.forAgent(plan.candidates(), new CandidateFilter.FromResources());
    if (filter != null) {
      builder = builder.with(PreFilteringTransformer.decorator(filter));
    }
    builder.installOn(instrumentation);
    return woven;
  }

  /**
   * Builds the weaving of every planned module for {@link DeferredWeaving}, which has done the
   * pre-filtering since premain and hands this transformer the candidates only.
   *
   * @param woven receives the modules that are woven, for {@link #activate}
   */
  public ClassFileTransformer build(WeavingPlan plan, DeferredWeaving deferred, List<InstrumentationModule> woven) {
    filter = deferred.filter();
    return builder(plan, AgentBuilder.RedefinitionStrategy.DISABLED, woven).makeRaw();
  }

  private AgentBuilder builder(
      WeavingPlan plan, AgentBuilder.RedefinitionStrategy redefinition, List<InstrumentationModule> woven) {
    AdviceErrors.install(this::adviceError);
    for (Map.Entry<String, Throwable> failed : plan.failures().entrySet()) {
      setUpFailed(failed.getKey(), failed.getValue());
    }
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        // Advice is all the weaving there is: decorating (visiting the class file) skips building
        // the type's whole method graph, which cost the most when a JDBC driver's classes loaded.
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(redefinition)
        .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
        .with(new SharedTypeCache())
        .with(new Listener())
        .ignore(IgnoredTypes.matcher(), IgnoredTypes.ignoredLoaders());
    ClassLoader agentLoader = InstrumentationInstaller.class.getClassLoader();
    for (Map.Entry<InstrumentationModule, List<TypeInstrumentation>> planned : plan.types().entrySet()) {
      InstrumentationModule module = planned.getKey();
      String name = module.name();
      try {
        AgentBuilder extended = builder;
        for (TypeInstrumentation type : planned.getValue()) {
          extended = extended
              .type(ElementMatchers.failSafe(type.typeMatcher()), type.classLoaderMatcher())
              .transform(adviceTransformer(name, type, agentLoader));
        }
        builder = extended;
        woven.add(module);
      } catch (Throwable t) {
        setUpFailed(name, t);
      }
    }
    return builder;
  }

  private void setUpFailed(String module, Throwable t) {
    metrics.instrumentationError(module);
    log.error("Instrumentation '{}' could not be set up and is off; the rest of the agent runs on", module, t);
  }

  /** How many loaded classes the pre-filter passed to Byte Buddy and how many it answered alone. */
  public String describeFiltering() {
    CandidateFilter current = filter;
    return current == null
        ? "no pre-filter (an instrumentation names no candidates)"
        : current.passed() + " classes to the matchers, " + current.rejected() + " skipped by the pre-filter";
  }

  /**
   * Installs each woven module's run-time support (the implementations behind its bootstrap
   * facades). Until then its advice finds the facades' no-op defaults. A module whose start fails
   * stays inert, logged and counted.
   *
   * @return the names of the modules that are active
   */
  public List<String> activate(List<InstrumentationModule> woven, AgentContext context) {
    List<String> active = new ArrayList<>();
    for (InstrumentationModule module : woven) {
      try {
        module.install(context);
        active.add(module.name());
      } catch (Throwable t) {
        metrics.instrumentationError(module.name());
        log.error("Instrumentation '{}' could not start and is off; the rest of the agent runs on", module.name(), t);
      }
    }
    return active;
  }

  private static AgentBuilder.Transformer adviceTransformer(
      final String moduleName, TypeInstrumentation type, ClassLoader agentLoader) {
    final List<AgentBuilder.Transformer.ForAdvice> advice = new ArrayList<>();
    final Advice.ExceptionHandler handler = new Advice.ExceptionHandler.Simple(reportTo(moduleName));
    type.applyAdvice((methods, adviceClassName) -> advice.add(
        new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .withExceptionHandler(handler)
            .advice(methods, adviceClassName)));
    return new AgentBuilder.Transformer() {
      @Override
      public DynamicType.Builder<?> transform(
          DynamicType.Builder<?> builder,
          TypeDescription typeDescription,
          ClassLoader classLoader,
          JavaModule javaModule,
          java.security.ProtectionDomain protectionDomain) {
        TRANSFORMING.set(moduleName);
        for (AgentBuilder.Transformer.ForAdvice one : advice) {
          builder = one.transform(builder, typeDescription, classLoader, javaModule, protectionDomain);
        }
        return builder;
      }
    };
  }

  /** Bytecode for the handler: the throwable is on the stack; push the module name, call record. */
  private static StackManipulation reportTo(String moduleName) {
    try {
      return new StackManipulation.Compound(
          new TextConstant(moduleName),
          MethodInvocation.invoke(new MethodDescription.ForLoadedMethod(
              AdviceErrors.class.getMethod("record", Throwable.class, String.class))));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("bootstrap AdviceErrors.record(Throwable, String) is missing", e);
    }
  }

  private void adviceError(String instrumentation, Throwable error) {
    metrics.instrumentationError(instrumentation);
    if (reported.add("advice:" + instrumentation)) {
      log.warn("Instrumentation '{}' hit an error inside its advice; the application call went on unaffected."
          + " Further errors are counted in vigil_agent_instrumentation_errors_total", instrumentation, error);
    } else if (log.isDebugEnabled()) {
      log.debug("Advice error in '{}'", instrumentation, error);
    }
  }

  private final class Listener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription typeDescription, ClassLoader classLoader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      if (log.isDebugEnabled()) {
        log.debug("Instrumented {} ({})", typeDescription.getName(), TRANSFORMING.get());
      }
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
      String instrumentation = TRANSFORMING.get();
      if (instrumentation == null) {
        instrumentation = "agent";
      }
      metrics.instrumentationError(instrumentation);
      if (reported.add("transform:" + instrumentation)) {
        log.warn("Could not instrument {} for '{}'; that class runs uninstrumented. Further failures are counted"
            + " in vigil_agent_instrumentation_errors_total", typeName, instrumentation, throwable);
      } else if (log.isDebugEnabled()) {
        log.debug("Could not instrument {} for '{}'", typeName, instrumentation, throwable);
      }
    }

    @Override
    public void onComplete(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
      TRANSFORMING.remove();
    }
  }
}
