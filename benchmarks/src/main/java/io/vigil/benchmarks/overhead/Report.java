package io.vigil.benchmarks.overhead;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Turns the runs into the Markdown report and the raw CSV. Ratios and differences are taken per
 * repeat (b<sub>i</sub>/a<sub>i</sub>, runs next to each other in time), then summarised like
 * the figures themselves, so a slow phase of the machine hits both sides of a ratio.
 */
final class Report {

  private record Column(String title, int decimals, ToDoubleFunction<RunResult> value) {}

  private static final List<Column> FIGURES = List.of(
      new Column("start-up ms", 0, r -> r.startupMillis()),
      new Column("throughput req/s", 0, RunResult::throughput),
      new Column("p50 ms", 2, RunResult::p50Millis),
      new Column("p99 ms", 2, RunResult::p99Millis),
      new Column("CPU µs/req", 0, RunResult::cpuMicrosPerRequest),
      new Column("RSS MiB", 1, RunResult::rssMiB),
      new Column("heap live MiB", 1, RunResult::heapLiveMiB),
      new Column("alloc KiB/req", 1, r -> r.allocatedBytesPerRequest() / 1024),
      new Column("alloc MiB/s", 0, RunResult::allocationMiBPerSecond),
      new Column("GCs", 0, r -> r.gcCount()),
      new Column("GC pause ms", 0, RunResult::gcPauseMillis));

  private static final List<Column> ADDED = List.of(
      new Column("start-up ms", 0, r -> r.startupMillis()),
      new Column("p99 ms", 2, RunResult::p99Millis),
      new Column("CPU µs/req", 0, RunResult::cpuMicrosPerRequest),
      new Column("RSS MiB", 1, RunResult::rssMiB),
      new Column("heap live MiB", 1, RunResult::heapLiveMiB),
      new Column("alloc B/req", 0, RunResult::allocatedBytesPerRequest));

  private final HarnessOptions options;
  private final Environment environment;
  private final String loadDescription;
  private final List<RunResult> runs;

  Report(HarnessOptions options, Environment environment, String loadDescription, List<RunResult> runs) {
    this.options = options;
    this.environment = environment;
    this.loadDescription = loadDescription;
    this.runs = runs;
  }

  String csv() {
    StringBuilder out = new StringBuilder(String.join(",", RunResult.CSV_HEADER)).append('\n');
    runs.forEach(r -> out.append(r.csv()).append('\n'));
    return out.toString();
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Agent overhead on the demo application: no agent, Vigil, OpenTelemetry Java agent\n\n");
    if (options.quick()) {
      md.append("**Quick run: it only proves that the harness works; its figures mean nothing.**\n\n");
    }
    md.append("- when: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
    md.append("- command: `").append(options.command()).append("`\n");
    md.append(String.format(Locale.ROOT, "- runs: %d repeat(s) alternating the configurations; per run %d s warm-up then %d s measured; load `%s` on 127.0.0.1%n",
        options.repeats(), options.warmup().toSeconds(), options.duration().toSeconds(), loadDescription));
    md.append("- every JVM: `").append(String.join(" ", OverheadHarness.commonJvmFlags(options, "<run>/gc.log"))).append("`\n");
    md.append("- machine: ").append(environment.processors()).append(" CPUs, ").append(environment.memoryMiB())
        .append(" MiB, kernel ").append(environment.kernel()).append("; ").append(environment.javaVersion()).append('\n');
    md.append("- versions: Vigil ").append(environment.vigilCommit())
        .append(String.format(Locale.ROOT, " (jar %.2f MiB)", environment.vigilJarBytes() / 1048576.0))
        .append(", OpenTelemetry Java agent ").append(environment.otelVersion())
        .append(String.format(Locale.ROOT, " (jar %.2f MiB)", environment.otelJarBytes() / 1048576.0))
        .append("; demo: Tomcat ").append(environment.tomcat()).append(", HikariCP ").append(environment.hikari())
        .append(", H2 ").append(environment.h2()).append('\n');
    md.append("- page `").append(options.page()).append("`, one cycle of ").append(RequestMix.cycle(options.page()).size())
        .append(" requests: ").append(RequestMix.describe(options.page())).append('\n');
    if (options.vigilBefore() != null) {
      md.append("- d. Vigil before: `").append(options.vigilBefore()).append("`\n");
    }
    if (!options.vigilOptions().isEmpty()) {
      md.append("- e. Vigil with `").append(String.join(" ", options.vigilOptions())).append("`\n");
    }
    md.append('\n');

    md.append("## Per configuration: median (min–max) over ").append(options.repeats()).append(" runs\n\n");
    header(md, "configuration", FIGURES);
    for (Setup setup : Setup.active(options)) {
      row(md, setup.key + ". " + setup.label, FIGURES, c -> Spread.of(values(setup, c.value())).format(c.decimals()));
    }

    md.append("\n## Ratio to no agent, per repeat: median (min–max)\n\n");
    header(md, "ratio", FIGURES);
    for (Setup setup : agents()) {
      row(md, setup.key + "/a", FIGURES, c -> ratios(setup, c.value()).format(2));
    }

    md.append("\n## Added over no agent, per repeat: median (min–max)\n\n");
    header(md, "added", ADDED);
    for (Setup setup : agents()) {
      row(md, setup.key + " − a", ADDED, c -> differences(setup, c.value()).formatSigned(c.decimals()));
    }

    md.append("\n## Exports and scrapes: median per run\n\n");
    md.append(String.format(Locale.ROOT, "| configuration | OTLP export requests | spans received | spans per request served (the mix makes %.2f) | bytes received | /metrics scrapes ok / failed | last /metrics bytes | HTTP server histogram scraped |%n",
        RequestMix.spansPerRequest(options.page())));
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Setup setup : Setup.active(options)) {
      md.append("| ").append(setup.key).append(". ").append(setup.label)
          .append(" | ").append(Spread.of(values(setup, r -> r.otlp().requests())).format(0))
          .append(" | ").append(Spread.of(values(setup, r -> r.otlp().spans())).format(0))
          .append(" | ").append(Spread.of(values(setup, RunResult::spansPerRequest)).format(2))
          .append(" | ").append(Spread.of(values(setup, r -> r.otlp().bytes())).format(0))
          .append(" | ").append(Spread.of(values(setup, r -> r.scrapes().ok())).format(0)).append(" / ")
          .append(Spread.of(values(setup, r -> r.scrapes().failed())).format(0))
          .append(" | ").append(Spread.of(values(setup, r -> r.scrapes().lastBytes())).format(0))
          .append(" | ").append(runsOf(setup).stream().allMatch(r -> r.scrapes().sawHttpServerDuration()) ? "yes" : "no")
          .append(" |\n");
    }

    md.append("\n## Targets (medians of the per-repeat figures)\n\n");
    md.append("| target");
    agents().forEach(s -> md.append(" | ").append(s.label));
    md.append(" |\n|---");
    agents().forEach(s -> md.append("|---"));
    md.append("|\n");
    target(md, "throughput ≥ 97 % of no agent", s -> ratios(s, RunResult::throughput).median() * 100, "%.1f %%", v -> v >= 97);
    target(md, "p99 added ≤ 5 %", s -> (ratios(s, RunResult::p99Millis).median() - 1) * 100, "%+.1f %%", v -> v <= 5);
    target(md, "start-up added ≤ 300 ms", s -> differences(s, r -> r.startupMillis()).median(), "%+.0f ms", v -> v <= 300);
    target(md, "RSS added ≤ 40 MiB", s -> differences(s, RunResult::rssMiB).median(), "%+.1f MiB", v -> v <= 40);
    target(md, "jar ≤ 5 MiB", s -> (s == Setup.OTEL ? environment.otelJarBytes() : environment.vigilJarBytes()) / 1048576.0,
        "%.2f MiB", v -> v <= 5);
    target(md, "≤ 1 KiB allocated per request (added)", s -> differences(s, RunResult::allocatedBytesPerRequest).median(),
        "%+.0f B", v -> v <= 1024);

    md.append("\n## Runs\n\n");
    md.append("| run | start-up ms | req/s | p50 ms | p99 ms | socket errors / non-2xx | CPU µs/req | cores busy outside the app | RSS MiB | heap after load / live MiB | alloc B/req | GCs | OTLP requests / spans | scrapes ok / failed |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (RunResult r : runs) {
      md.append(String.format(Locale.ROOT, "| %d%s | %d | %.0f | %.2f | %.2f | %d / %d | %.0f | %.2f | %.1f | %.1f / %.1f | %.0f | %d | %d / %d | %d / %d |%n",
          r.repeat(), r.setup().key, r.startupMillis(), r.throughput(), r.p50Millis(), r.p99Millis(), r.socketErrors(),
          r.badStatus(), r.cpuMicrosPerRequest(), r.otherCores(), r.rssMiB(), r.heapAfterLoadKb() / 1024.0, r.heapLiveMiB(),
          r.allocatedBytesPerRequest(), r.gcCount(), r.otlp().requests(), r.otlp().spans(), r.scrapes().ok(),
          r.scrapes().failed()));
    }
    return md.toString();
  }

  private void target(StringBuilder md, String name, java.util.function.Function<Setup, Double> figure, String format,
      java.util.function.DoublePredicate met) {
    md.append("| ").append(name);
    for (Setup setup : agents()) {
      double v = figure.apply(setup);
      md.append(" | ").append(String.format(Locale.ROOT, format, v)).append(met.test(v) ? " met" : " **missed**");
    }
    md.append(" |\n");
  }

  private List<Setup> agents() {
    return Setup.active(options).stream().filter(Setup::hasAgent).toList();
  }

  private static void header(StringBuilder md, String first, List<Column> columns) {
    md.append("| ").append(first);
    columns.forEach(c -> md.append(" | ").append(c.title()));
    md.append(" |\n|---");
    columns.forEach(c -> md.append("|---"));
    md.append("|\n");
  }

  private static void row(StringBuilder md, String first, List<Column> columns, java.util.function.Function<Column, String> cell) {
    md.append("| ").append(first);
    columns.forEach(c -> md.append(" | ").append(cell.apply(c)));
    md.append(" |\n");
  }

  private List<RunResult> runsOf(Setup setup) {
    return runs.stream().filter(r -> r.setup() == setup).toList();
  }

  private List<Double> values(Setup setup, ToDoubleFunction<RunResult> value) {
    return runsOf(setup).stream().map(value::applyAsDouble).toList();
  }

  private Spread ratios(Setup setup, ToDoubleFunction<RunResult> value) {
    return paired(setup, value, (agent, none) -> agent / none);
  }

  private Spread differences(Setup setup, ToDoubleFunction<RunResult> value) {
    return paired(setup, value, (agent, none) -> agent - none);
  }

  private Spread paired(Setup setup, ToDoubleFunction<RunResult> value, java.util.function.DoubleBinaryOperator op) {
    List<Double> out = new ArrayList<>();
    for (RunResult agent : runsOf(setup)) {
      runsOf(Setup.NO_AGENT).stream().filter(r -> r.repeat() == agent.repeat()).findFirst()
          .ifPresent(none -> out.add(op.applyAsDouble(value.applyAsDouble(agent), value.applyAsDouble(none))));
    }
    return Spread.of(out);
  }
}
