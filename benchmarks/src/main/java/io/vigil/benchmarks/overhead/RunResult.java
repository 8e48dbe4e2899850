package io.vigil.benchmarks.overhead;

import java.util.List;
import java.util.Locale;

/** Everything measured in one run of one setup; one row of the raw data. */
record RunResult(
    Setup setup,
    int repeat,
    long startupMillis,
    long warmupRequests,
    long requests,
    double seconds,
    double p50Millis,
    double p99Millis,
    long socketErrors,
    long badStatus,
    long cpuMillis,
    long otherCpuMillis,
    long rssKb,
    long heapAfterLoadKb,
    long heapLiveKb,
    long allocatedBytes,
    double windowSeconds,
    int gcCount,
    double gcPauseMillis,
    OtlpSink.Counts otlp,
    MetricsScraper.Result scrapes) {

  double throughput() {
    return requests / seconds;
  }

  double cpuMicrosPerRequest() {
    return cpuMillis * 1000.0 / requests;
  }

  /** Cores busy outside the application during the window: wrk, the harness, and whatever else ran. */
  double otherCores() {
    return otherCpuMillis / 1000.0 / windowSeconds;
  }

  /** Spans the receiver got per request the app served in the whole run (warm-up and measured). */
  double spansPerRequest() {
    return (double) otlp.spans() / (warmupRequests + requests);
  }

  double rssMiB() {
    return rssKb / 1024.0;
  }

  double heapLiveMiB() {
    return heapLiveKb / 1024.0;
  }

  double allocatedBytesPerRequest() {
    return (double) allocatedBytes / requests;
  }

  double allocationMiBPerSecond() {
    return allocatedBytes / 1048576.0 / windowSeconds;
  }

  static final List<String> CSV_HEADER = List.of("setup", "repeat", "startup_ms", "warmup_requests", "requests", "seconds",
      "throughput_rps", "p50_ms", "p99_ms", "socket_errors", "non_2xx", "cpu_ms", "cpu_us_per_req", "other_cpu_ms", "rss_kb",
      "heap_after_load_kb", "heap_live_kb", "allocated_bytes", "window_s", "alloc_bytes_per_req", "alloc_mib_per_s",
      "gc_count", "gc_pause_ms", "otlp_requests", "otlp_bytes", "otlp_spans", "otlp_undecodable", "scrapes_ok",
      "scrapes_failed", "scrape_bytes", "scrape_has_http_server_duration");

  String csv() {
    return String.join(",", setup.key + "-" + setup.name().toLowerCase(Locale.ROOT), Integer.toString(repeat),
        Long.toString(startupMillis), Long.toString(warmupRequests), Long.toString(requests), fmt(seconds), fmt(throughput()), fmt(p50Millis),
        fmt(p99Millis), Long.toString(socketErrors), Long.toString(badStatus), Long.toString(cpuMillis),
        fmt(cpuMicrosPerRequest()), Long.toString(otherCpuMillis), Long.toString(rssKb), Long.toString(heapAfterLoadKb), Long.toString(heapLiveKb),
        Long.toString(allocatedBytes), fmt(windowSeconds), fmt(allocatedBytesPerRequest()),
        fmt(allocationMiBPerSecond()), Integer.toString(gcCount), fmt(gcPauseMillis), Long.toString(otlp.requests()),
        Long.toString(otlp.bytes()), Long.toString(otlp.spans()), Long.toString(otlp.undecodable()),
        Long.toString(scrapes.ok()), Long.toString(scrapes.failed()), Long.toString(scrapes.lastBytes()),
        Boolean.toString(scrapes.sawHttpServerDuration()));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
