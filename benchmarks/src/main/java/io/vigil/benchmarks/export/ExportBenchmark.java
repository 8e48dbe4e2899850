package io.vigil.benchmarks.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.trace.AgentTracer;
import io.vigil.api.metrics.AgentMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the export thread spends per span: one full batch ({@value #BATCH} spans, half servlet
 * server spans, half JDBC client spans with the attributes the instrumentations set) serialized to
 * OTLP protobuf and POSTed to a receiver on 127.0.0.1 that answers 200, through the agent's span
 * exporter exactly as {@code TracingCore} builds it. Results are per span
 * ({@code @OperationsPerInvocation}); run with {@code -prof gc} for the bytes allocated per span.
 *
 * <p>The time per span includes waiting for the receiver, so it moves with whatever else the
 * machine runs. The CPU the export thread itself spent is counted beside it: {@code exportCpuNanos}
 * over {@code spansExported} (both totals per iteration) is the CPU per span exported.
 *
 * <p>The receiver runs in the same JVM, so its CPU shares the machine; it allocates next to
 * nothing, so the allocation figures are the exporter's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExportBenchmark {

  static final int BATCH = 512;

  /** {@code otlp.compression}. */
  @Param({"none", "gzip"})
  public String compression;

  private DiscardingOtlpReceiver receiver;
  private SpanExporter exporter;
  private List<SpanData> batch;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    receiver = new DiscardingOtlpReceiver();
    AgentMetrics metrics = new AgentMetrics(new CollectorRegistry(), "bench", "bench", Collections.singletonList("jdbc"));
    exporter = ExporterUnderTest.create(receiver.endpoint(), compression, metrics);
    batch = spans();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    receiver.close();
  }

  /** The export thread's own CPU time, read from the JVM around each batch. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    public long exportCpuNanos;
    public long spansExported;

    @Setup(Level.Iteration)
    public void reset() {
      exportCpuNanos = 0;
      spansExported = 0;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public boolean exportBatch(Cpu cpu) {
    long start = cpu.threads.getCurrentThreadCpuTime();
    CompletableResultCode result = exporter.export(batch).join(10, TimeUnit.SECONDS);
    cpu.exportCpuNanos += cpu.threads.getCurrentThreadCpuTime() - start;
    cpu.spansExported += BATCH;
    if (!result.isSuccess()) {
      throw new IllegalStateException("export failed: the benchmark would measure failures");
    }
    return true;
  }

  /** Spans as the servlet and JDBC instrumentations leave them, ended: what the exporter reads. */
  private static List<SpanData> spans() {
    List<SpanData> ended = new ArrayList<>(BATCH);
    Tracer tracer = new AgentTracer(Resource.getDefault(), "bench", Sampler.alwaysOn(), ended::add);
    for (int i = 0; i < BATCH / 2; i++) {
      Span server = tracer.spanBuilder("GET /owners/{id}").setSpanKind(SpanKind.SERVER)
          .setAllAttributes(Attributes.builder()
              .put("http.request.method", "GET")
              .put("http.route", "/owners/{id}")
              .put("url.path", "/owners/" + i)
              .put("url.scheme", "http")
              .put("server.address", "petclinic.internal")
              .put(AttributeKey.longKey("server.port"), 8080L)
              .put(AttributeKey.longKey("http.response.status_code"), 200L)
              .put("user_agent.original", "wrk")
              .build())
          .startSpan();
      Span query = tracer.spanBuilder("SELECT owners").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(server))
          .setAllAttributes(Attributes.builder()
              .put("db.system.name", "h2database")
              .put("db.operation.name", "SELECT")
              .put("db.collection.name", "owners")
              .put("db.query.text", "SELECT id, first_name, last_name, address, city FROM owners WHERE id = ?")
              .put("db.namespace", "petclinic")
              .build())
          .startSpan();
      if (i % 16 == 0) {
        query.addEvent("slow query", Attributes.of(AttributeKey.longKey("db.duration_ms"), 1200L));
      }
      query.end();
      server.end();
    }
    return Collections.unmodifiableList(ended);
  }

}
