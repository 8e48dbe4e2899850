package io.vigil.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of the agent port's HTTP server: a fixed number of daemon threads, a bounded queue,
 * and deadlines that keep slow clients from holding them.
 *
 * <p>The JDK server hands a connection to its executor as soon as the first bytes arrive, and the
 * task then blocks reading the rest of the request: a client that sends half a request and waits
 * holds a thread for as long as it likes, and a handful of them stop {@code /health/live}. Here
 * every exchange has a deadline to finish sending its request line and headers ({@link
 * #readDone}, a filter on every context, marks that point): {@value #READ_MILLIS} ms from its
 * arrival, and, for an exchange that waited in the queue past that, {@value #LATE_READ_MILLIS} ms
 * from when a thread takes it, enough for a request already buffered and too little to wait for
 * one that is not. The response then has {@value #EXCHANGE_MILLIS} ms. A thread past its deadline
 * is interrupted, which closes the connection (JDK socket channels are interruptible) and frees
 * the thread. So a stalled client costs a thread {@value #READ_MILLIS} ms at most, or {@value
 * #LATE_READ_MILLIS} ms once it has queued that long, and {@value #THREADS} threads serve a probe
 * within a second behind up to about {@code THREADS * (1000 - READ_MILLIS) / LATE_READ_MILLIS}
 * (140) stalled connections; a full queue ({@value #QUEUE}) closes new connections instead of
 * growing.
 */
final class BoundedExchangeExecutor implements Executor {

  static final int THREADS = 4;
  static final int QUEUE = 256;
  static final long READ_MILLIS = 300;
  static final long LATE_READ_MILLIS = 20;
  static final long EXCHANGE_MILLIS = 10_000;

  private static final int READING = 0;
  private static final int HANDLING = 1;
  private static final int DONE = 2;

  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor watchdog;
  private final ThreadLocal<Watched> current = new ThreadLocal<>();

  /** Marks the end of the request's headers: the exchange now has its response deadline. */
  final Filter readDone =
      new Filter() {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
          Watched watched = current.get();
          if (watched != null) {
            watched.handling();
          }
          chain.doFilter(exchange);
        }

        @Override
        public String description() {
          return "request read within its deadline";
        }
      };

  BoundedExchangeExecutor() {
    workers =
        new ThreadPoolExecutor(
            THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<Runnable>(QUEUE), daemons("vigil-exporter-http-"));
    workers.allowCoreThreadTimeOut(true);
    watchdog = new ScheduledThreadPoolExecutor(1, daemons("vigil-exporter-watchdog-"));
    watchdog.setRemoveOnCancelPolicy(true);
  }

  /**
   * Queues one exchange; throws {@link java.util.concurrent.RejectedExecutionException} when the
   * queue is full, on which the JDK server closes the connection.
   */
  @Override
  public void execute(Runnable exchange) {
    workers.execute(new Watched(exchange, System.nanoTime()));
  }

  void shutdown() {
    workers.shutdownNow();
    watchdog.shutdownNow();
  }

  /** Threads serving exchanges now; at most {@value #THREADS}. */
  int activeThreads() {
    return workers.getPoolSize();
  }

  private final class Watched implements Runnable {
    private final Runnable exchange;
    private final long arrivedNanos;
    private Thread thread;
    private int state = READING; // guarded by this
    private ScheduledFuture<?> kill; // guarded by this

    Watched(Runnable exchange, long arrivedNanos) {
      this.exchange = exchange;
      this.arrivedNanos = arrivedNanos;
    }

    @Override
    public void run() {
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrivedNanos);
      synchronized (this) {
        thread = Thread.currentThread();
        kill = schedule(Math.max(READ_MILLIS - waitedMillis, LATE_READ_MILLIS));
      }
      current.set(this);
      try {
        exchange.run();
      } finally {
        current.remove();
        synchronized (this) {
          state = DONE;
          kill.cancel(false);
        }
        // A kill that fired after the exchange gave up on its own must not hit the next task.
        Thread.interrupted();
      }
    }

    synchronized void handling() {
      if (state == READING) {
        state = HANDLING;
        kill.cancel(false);
        kill = schedule(EXCHANGE_MILLIS);
      }
    }

    synchronized void expire() {
      if (state != DONE) {
        state = DONE;
        thread.interrupt();
      }
    }

    private ScheduledFuture<?> schedule(long millis) {
      return watchdog.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
    }
  }

  private static ThreadFactory daemons(final String prefix) {
    final AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
