package io.vigil.benchmarks.overhead;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Prometheus for one agent: {@code GET /metrics} right away and then every interval, so the
 * exporter does its normal work during the load. Remembers how many scrapes succeeded, the size
 * of the last one and whether the HTTP server histogram was in it.
 */
final class MetricsScraper implements AutoCloseable {

  record Result(long ok, long failed, long lastBytes, boolean sawHttpServerDuration) {
    static final Result NONE = new Result(0, 0, 0, false);
  }

  private static final String HTTP_SERVER_DURATION = "http_server_request_duration_seconds";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "metrics-scraper");
    t.setDaemon(true);
    return t;
  });
  private final URI uri;
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lastBytes = new AtomicLong();
  private final AtomicBoolean sawHttp = new AtomicBoolean();

  MetricsScraper(int port, Duration interval) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
    scheduler.scheduleAtFixedRate(this::scrape, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void scrape() {
    try {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header("Accept", "text/plain;version=0.0.4").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        ok.incrementAndGet();
        lastBytes.set(response.body().length());
        if (response.body().contains(HTTP_SERVER_DURATION)) {
          sawHttp.set(true);
        }
      } else {
        failed.incrementAndGet();
      }
    } catch (java.io.IOException e) {
      failed.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Result result() {
    return new Result(ok.get(), failed.get(), lastBytes.get(), sawHttp.get());
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
  }
}
