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
import net.bytebuddy.dynamic.scaffold.MethodGraph;
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

  /** Which module's transformer the {@code AgentBuilder} runs on this thread, to attribute a failure to it. */
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
   * pre-filtering since premain and hands this transformer the candidates' first loads only: a
   * {@link CandidateWeaver}, which needs none of the {@code AgentBuilder}'s machinery.
   *
   * @param woven receives the modules that are woven, for {@link #activate}
   */
  public ClassFileTransformer build(WeavingPlan plan, DeferredWeaving deferred, List<InstrumentationModule> woven) {
    filter = deferred.filter();
    List<CandidateWeaver.Rule> rules = rules(plan, woven);
    return new CandidateWeaver(new SharedTypeCache(), IgnoredTypes.matcher(), IgnoredTypes.ignoredLoaders(), rules,
        new CandidateWeaver.Events() {
          @Override
          public void woven(String typeName, String module) {
            transformed(typeName, module);
          }

          @Override
          public void failed(String typeName, String module, Throwable error) {
            transformFailed(typeName, module, error);
          }
        });
  }

  private AgentBuilder builder(
      WeavingPlan plan, AgentBuilder.RedefinitionStrategy redefinition, List<InstrumentationModule> woven) {
    // As in CandidateWeaver: advice needs only the methods the class declares.
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
        .disableClassFormatChanges()
        // Advice is all the weaving there is: decorating (visiting the class file) skips building
        // the type's whole method graph, which cost the most when a JDBC driver's classes loaded.
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(redefinition)
        .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
        .with(new SharedTypeCache())
        .with(new Listener())
        .ignore(IgnoredTypes.matcher(), IgnoredTypes.ignoredLoaders());
    for (final CandidateWeaver.Rule rule : rules(plan, woven)) {
      builder = builder.type(rule.types, rule.loaders).transform(
          (dynamicType, type, loader, module, domain) -> {
            // The listener learns from this which module a failure belongs to.
            TRANSFORMING.set(rule.module);
            return rule.advice.transform(dynamicType, type, loader, module, domain);
          });
    }
    return builder;
  }

  /**
   * Each planned module's type instrumentations as weaving rules, in plan order. A module whose
   * rules cannot be built is left out whole, logged and counted; the others go on.
   */
  private List<CandidateWeaver.Rule> rules(WeavingPlan plan, List<InstrumentationModule> woven) {
    AdviceErrors.install(this::adviceError);
    for (Map.Entry<String, Throwable> failed : plan.failures().entrySet()) {
      setUpFailed(failed.getKey(), failed.getValue());
    }
    ClassLoader agentLoader = InstrumentationInstaller.class.getClassLoader();
    List<CandidateWeaver.Rule> rules = new ArrayList<>();
    for (Map.Entry<InstrumentationModule, List<TypeInstrumentation>> planned : plan.types().entrySet()) {
      InstrumentationModule module = planned.getKey();
      String name = module.name();
      try {
        List<CandidateWeaver.Rule> ofModule = new ArrayList<>();
        for (TypeInstrumentation type : planned.getValue()) {
          ofModule.add(new CandidateWeaver.Rule(name, type.classLoaderMatcher(),
              ElementMatchers.failSafe(type.typeMatcher()), adviceOf(name, type, agentLoader)));
        }
        rules.addAll(ofModule);
        woven.add(module);
      } catch (Throwable t) {
        setUpFailed(name, t);
      }
    }
    return rules;
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

  private static ResolvedAdvice adviceOf(
      String moduleName, TypeInstrumentation type, ClassLoader agentLoader) {
    ResolvedAdvice advice = new ResolvedAdvice(agentLoader, new Advice.ExceptionHandler.Simple(reportTo(moduleName)));
    type.applyAdvice(advice::bind);
    return advice;
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

  private void transformed(String typeName, String module) {
    if (log.isDebugEnabled()) {
      log.debug("Instrumented {} ({})", typeName, module);
    }
  }

  private void transformFailed(String typeName, String module, Throwable error) {
    String instrumentation = module == null ? "agent" : module;
    metrics.instrumentationError(instrumentation);
    if (reported.add("transform:" + instrumentation)) {
      log.warn("Could not instrument {} for '{}'; that class runs uninstrumented. Further failures are counted"
          + " in vigil_agent_instrumentation_errors_total", typeName, instrumentation, error);
    } else if (log.isDebugEnabled()) {
      log.debug("Could not instrument {} for '{}'", typeName, instrumentation, error);
    }
  }

  /** The {@code AgentBuilder}'s listener (late attach, or no pre-filter): the same lines and counts. */
  private final class Listener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription typeDescription, ClassLoader classLoader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      transformed(typeDescription.getName(), TRANSFORMING.get());
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
      transformFailed(typeName, TRANSFORMING.get(), throwable);
    }

    @Override
    public void onComplete(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
      TRANSFORMING.remove();
    }
  }
}
