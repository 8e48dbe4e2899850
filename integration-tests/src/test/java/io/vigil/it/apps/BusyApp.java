package io.vigil.it.apps;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application that brings its own Byte Buddy, OpenTelemetry SDK, Prometheus simpleclient and
 * SLF4J with Logback, all in versions other than the agent's. Each library is used for real and
 * the result printed, so a test can tell that the agent changed nothing for the application.
 */
public final class BusyApp {

  private static final Logger log = LoggerFactory.getLogger(BusyApp.class);

  private BusyApp() {}

  public static void main(String[] args) throws Exception {
    Class<?> generated = new ByteBuddy()
        .subclass(Object.class)
        .method(ElementMatchers.named("toString"))
        .intercept(FixedValue.value("made by the application's Byte Buddy"))
        .make()
        .load(BusyApp.class.getClassLoader())
        .getLoaded();
    String jar = new java.io.File(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getName();
    System.out.println("app bytebuddy from " + jar + ": "
        + generated.getDeclaredConstructor().newInstance());

    List<SpanData> exported = new CopyOnWriteArrayList<>();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(exported)))
        .build();
    Tracer tracer = provider.get("busy-app");
    Span span = tracer.spanBuilder("app-operation").startSpan();
    span.end();
    System.out.println("app opentelemetry spans: " + exported.size() + " " + exported.get(0).getName());

    Counter requests = Counter.build("app_requests_total", "The application's own counter.").register();
    requests.inc(3);
    StringWriter text = new StringWriter();
    TextFormat.write004(text, CollectorRegistry.defaultRegistry.metricFamilySamples());
    for (String line : text.toString().split("\n")) {
      if (!line.startsWith("#")) {
        System.out.println("app registry: " + line);
      }
    }
    System.out.println("app registry size: " + countSamples(text.toString()));

    log.info("application log line through logback");
    System.out.println("busy app started");
    long millis = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE / 2;
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
  }

  private static long countSamples(String text) {
    return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
  }

  private static final class CollectingExporter implements SpanExporter {
    private final List<SpanData> sink;

    CollectingExporter(List<SpanData> sink) {
      this.sink = sink;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      sink.addAll(spans);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
