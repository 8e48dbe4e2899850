package io.vigil.servlet;

import static io.vigil.api.SuperTypeMatchers.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.vigil.api.AdviceBinding;
import io.vigil.api.Candidates;
import io.vigil.api.ClassLoaderMatchers;
import io.vigil.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The four weaving points of one servlet namespace ({@code javax.servlet} or {@code
 * jakarta.servlet}), each behind a class-loader pre-filter on the namespace's {@code Servlet}:
 *
 * <ul>
 *   <li>{@code Servlet.service(ServletRequest, ServletResponse)} and {@code Filter.doFilter}: the
 *       request (the outermost call counts) — and {@code init}: readiness;
 *   <li>{@code ServletRequest.startAsync(..)}: the async listener;
 *   <li>{@code AsyncContext.start(Runnable)}: context for async tasks.
 * </ul>
 */
final class ServletApiInstrumentations {

  // Advice is named, never loaded by the agent: it is read as a template and inlined.
  private static final String INIT_ADVICE = "io.vigil.servlet.InitAdvice";

  private ServletApiInstrumentations() {}

  /**
   * @param namespace {@code javax.servlet} or {@code jakarta.servlet}
   * @param serviceAdvice the namespace's service/doFilter advice class name
   * @param startAsyncAdvice the namespace's startAsync advice class name
   * @param onServletType called whenever a servlet or filter type is matched (the application
   *     has a servlet container); must be cheap
   */
  static List<TypeInstrumentation> of(
      String namespace, String serviceAdvice, String startAsyncAdvice, Runnable onServletType) {
    ElementMatcher<ClassLoader> loaders = ClassLoaderMatchers.canSeeAnyOf(namespace + ".Servlet");
    return Arrays.<TypeInstrumentation>asList(
        new Servlets(loaders, namespace, serviceAdvice, onServletType),
        new Filters(loaders, namespace, serviceAdvice, onServletType),
        new Requests(loaders, namespace, startAsyncAdvice),
        new AsyncContexts(loaders, namespace));
  }

  /** Reports each match to {@code onMatch}: the cheapest sign that a container is present. */
  private static ElementMatcher<TypeDescription> reporting(
      final ElementMatcher<TypeDescription> matcher, final Runnable onMatch) {
    return new ElementMatcher<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription target) {
        boolean matched = matcher.matches(target);
        if (matched) {
          onMatch.run();
        }
        return matched;
      }

      @Override
      public String toString() {
        return matcher.toString();
      }
    };
  }

  /** Matches the classes (not interfaces) that are or implement the namespace's {@code type}. */
  private abstract static class Base implements TypeInstrumentation {
    final ElementMatcher<ClassLoader> loaders;
    final String ns;
    private final String superType;

    Base(ElementMatcher<ClassLoader> loaders, String ns, String type) {
      this.loaders = loaders;
      this.ns = ns;
      this.superType = ns + "." + type;
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaderMatcher() {
      return loaders;
    }

    ElementMatcher.Junction<TypeDescription> implementations() {
      return not(isInterface()).and(hasSuperTypeNamed(superType));
    }

    @Override
    public Candidates candidates() {
      return Candidates.withSuperType(superType);
    }
  }

  private static final class Servlets extends Base {
    private final String serviceAdvice;
    private final Runnable onServletType;

    Servlets(ElementMatcher<ClassLoader> loaders, String ns, String serviceAdvice, Runnable onServletType) {
      super(loaders, ns, "Servlet");
      this.serviceAdvice = serviceAdvice;
      this.onServletType = onServletType;
    }

    @Override
    public ElementMatcher<? super TypeDescription> typeMatcher() {
      return reporting(implementations(), onServletType);
    }

    @Override
    public void applyAdvice(AdviceBinding binding) {
      binding.bind(
          named("service")
              .and(isPublic())
              .and(not(isAbstract()))
              .and(takesArguments(2))
              .and(takesArgument(0, named(ns + ".ServletRequest")))
              .and(takesArgument(1, named(ns + ".ServletResponse"))),
          serviceAdvice);
      binding.bind(
          named("init").and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, named(ns + ".ServletConfig"))),
          INIT_ADVICE);
    }
  }

  private static final class Filters extends Base {
    private final String serviceAdvice;
    private final Runnable onServletType;

    Filters(ElementMatcher<ClassLoader> loaders, String ns, String serviceAdvice, Runnable onServletType) {
      super(loaders, ns, "Filter");
      this.serviceAdvice = serviceAdvice;
      this.onServletType = onServletType;
    }

    @Override
    public ElementMatcher<? super TypeDescription> typeMatcher() {
      return reporting(implementations(), onServletType);
    }

    @Override
    public void applyAdvice(AdviceBinding binding) {
      binding.bind(
          named("doFilter")
              .and(isPublic())
              .and(not(isAbstract()))
              .and(takesArguments(3))
              .and(takesArgument(0, named(ns + ".ServletRequest")))
              .and(takesArgument(1, named(ns + ".ServletResponse")))
              .and(takesArgument(2, named(ns + ".FilterChain"))),
          serviceAdvice);
      binding.bind(
          named("init").and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, named(ns + ".FilterConfig"))),
          INIT_ADVICE);
    }
  }

  private static final class Requests extends Base {
    private final String startAsyncAdvice;

    Requests(ElementMatcher<ClassLoader> loaders, String ns, String startAsyncAdvice) {
      super(loaders, ns, "ServletRequest");
      this.startAsyncAdvice = startAsyncAdvice;
    }

    @Override
    public ElementMatcher<? super TypeDescription> typeMatcher() {
      return implementations();
    }

    @Override
    public void applyAdvice(AdviceBinding binding) {
      binding.bind(
          named("startAsync").and(not(isAbstract())).and(returns(named(ns + ".AsyncContext"))),
          startAsyncAdvice);
    }
  }

  private static final class AsyncContexts extends Base {
    AsyncContexts(ElementMatcher<ClassLoader> loaders, String ns) {
      super(loaders, ns, "AsyncContext");
    }

    @Override
    public ElementMatcher<? super TypeDescription> typeMatcher() {
      return implementations();
    }

    @Override
    public void applyAdvice(AdviceBinding binding) {
      binding.bind(
          named("start").and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, Runnable.class)),
          "io.vigil.servlet.AsyncStartAdvice");
    }
  }
}
