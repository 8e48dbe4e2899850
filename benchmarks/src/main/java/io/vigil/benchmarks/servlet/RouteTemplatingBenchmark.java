package io.vigil.benchmarks.servlet;

import io.vigil.servlet.route.PathTemplates;
import io.vigil.servlet.route.RouteLimiter;
import io.vigil.servlet.route.ServletRoutes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route templating on its own: {@link PathTemplates#fold} of realistic paths, and what the request
 * tracker does with a route at request end, the route cap's lookup ({@link RouteLimiter#limit} of a
 * route already admitted, as a fresh string whose hash is not cached, the way every request makes
 * it). The whole request, these included, is {@link ServletRequestBenchmark}.
 *
 * <ul>
 *   <li>{@code fold}, {@code foldAndLimit}: the last resort of {@link ServletRoutes#choose}, for each
 *       {@code path}: numeric id, UUID, hex object id, opaque token, and an already clean path;
 *   <li>{@code springPatternAndLimit}: Spring's pattern {@code /owners/{ownerId}} under a
 *       DispatcherServlet mapped to {@code /api/*} in context {@code /shop};
 *   <li>{@code servletMappingAndLimit}: a servlet mapped to {@code /owners/*} in context {@code
 *       /shop}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteTemplatingBenchmark {

  /** The paths, each in a state of its own so that the other benchmarks do not run per path. */
  @State(Scope.Thread)
  public static class Paths {
    @Param({
      "/owners/42/pets/7",
      "/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301/items",
      "/commits/507f1f77bcf86cd799439011",
      "/reset-password/eyJhbGciOiJIUzI1NiJ9xK3mQ9vLp2Wd",
      "/api/v1/owners/search",
    })
    public String path;
  }

  private final RouteLimiter limiter = new RouteLimiter(1000, null);

  @Setup(Level.Trial)
  public void admit() {
    // Admitted by an earlier request, as every route of a running application is (a folded path
    // is admitted by the first warm-up call).
    limiter.limit(springRoute());
    limiter.limit(servletRoute());
  }

  @Benchmark
  public String fold(Paths paths) {
    return PathTemplates.fold(paths.path);
  }

  @Benchmark
  public String foldAndLimit(Paths paths) {
    return limiter.limit(ServletRoutes.choose(null, null, paths.path, true, 200));
  }

  @Benchmark
  public String springPatternAndLimit() {
    return limiter.limit(springRoute());
  }

  @Benchmark
  public String servletMappingAndLimit() {
    return limiter.limit(servletRoute());
  }

  // What ServletRequestTracker.route does with each.
  private static String springRoute() {
    String framework = ServletRoutes.withFrameworkPattern("/shop", "/api/*", "/owners/{ownerId}");
    return ServletRoutes.choose(framework, ServletRoutes.fromMapping("/shop", "/api/*"), "/shop/api/owners/42", true, 200);
  }

  private static String servletRoute() {
    return ServletRoutes.choose(null, ServletRoutes.fromMapping("/shop", "/owners/*"), "/shop/owners/42", true, 200);
  }
}
