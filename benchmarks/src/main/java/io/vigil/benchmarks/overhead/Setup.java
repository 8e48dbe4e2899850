package io.vigil.benchmarks.overhead;

import java.util.ArrayList;
import java.util.List;

/**
 * The ways the demo runs, in the order they alternate. Each agent is configured to do the same
 * kind of work: every request and query traced (always-on sampling) and exported over OTLP
 * http/protobuf to the same receiver, and metrics served to a Prometheus scraper on a port. Two
 * more run only when asked for: an earlier Vigil jar ({@code --vigil-before}), so that before and
 * after are measured in the same time window, and Vigil with extra settings ({@code --vigil-option}).
 */
enum Setup {
  NO_AGENT("a", "no agent"),
  VIGIL("b", "Vigil"),
  OTEL("c", "OpenTelemetry agent"),
  VIGIL_BEFORE("d", "Vigil before (--vigil-before)"),
  VIGIL_OPTIONS("e", "Vigil with --vigil-option");

  final String key;
  final String label;

  Setup(String key, String label) {
    this.key = key;
    this.label = label;
  }

  boolean hasAgent() {
    return this != NO_AGENT;
  }

  /** The setups this invocation runs, in the order they alternate. */
  static List<Setup> active(HarnessOptions options) {
    List<Setup> setups = new ArrayList<>(List.of(NO_AGENT, VIGIL, OTEL));
    if (options.vigilBefore() != null) {
      setups.add(VIGIL_BEFORE);
    }
    if (!options.vigilOptions().isEmpty()) {
      setups.add(VIGIL_OPTIONS);
    }
    return setups;
  }

  /** The agent's own JVM arguments; the flags common to every setup are added by the launcher. */
  List<String> agentArguments(HarnessOptions options, String otlpEndpoint, int metricsPort) {
    List<String> args = new ArrayList<>();
    switch (this) {
      case NO_AGENT -> { }
      case VIGIL, VIGIL_BEFORE, VIGIL_OPTIONS -> {
        args.add("-javaagent:" + (this == VIGIL_BEFORE ? options.vigilBefore() : options.vigilAgent()));
        args.add("-Dvigil.service.name=vigil-demo");
        args.add("-Dvigil.prometheus.host=127.0.0.1");
        args.add("-Dvigil.prometheus.port=" + metricsPort);
        args.add("-Dvigil.otlp.endpoint=" + otlpEndpoint);
        args.add("-Dvigil.otlp.protocol=http/protobuf");
        if (this == VIGIL_OPTIONS) {
          options.vigilOptions().forEach(option -> args.add("-Dvigil." + option));
        }
      }
      case OTEL -> {
        args.add("-javaagent:" + options.otelAgent());
        args.add("-Dotel.service.name=vigil-demo");
        args.add("-Dotel.traces.exporter=otlp");
        args.add("-Dotel.exporter.otlp.protocol=http/protobuf");
        args.add("-Dotel.exporter.otlp.endpoint=" + otlpEndpoint);
        // Vigil's default: parent-based, ratio 1.0.
        args.add("-Dotel.traces.sampler=parentbased_always_on");
        args.add("-Dotel.metrics.exporter=prometheus");
        args.add("-Dotel.exporter.prometheus.host=127.0.0.1");
        args.add("-Dotel.exporter.prometheus.port=" + metricsPort);
        args.add("-Dotel.logs.exporter=none");
        args.add("-Dotel.semconv-stability.opt-in=database");
      }
      default -> throw new AssertionError(this);
    }
    return args;
  }
}
