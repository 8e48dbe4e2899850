package io.vigil.agent.weave;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * premain's transformer, registered before Byte Buddy is even loaded: the {@link CandidateFilter}
 * answers every class that no instrumentation can match, at once; the candidates go to Byte
 * Buddy's transformer, which is built on the agent's start thread while the application starts.
 * Building it (Byte Buddy's {@code AgentBuilder}, some 900 classes loaded and verified) was most of
 * the time the application waited for premain; now a thread waits only if it loads a candidate
 * class (a servlet, a JDBC driver, a pool) before the transformer is ready, and then only until it
 * is, so no candidate class escapes the weaving.
 *
 * <p>The wait is bounded by {@value #MAX_WAIT_SECONDS} s: past it, or when the weaving could not
 * be built, candidates load unwoven, counted in {@link #unwoven()}, and no thread waits again. The
 * thread that builds the transformer never waits for itself.
 */
public final class DeferredWeaving implements ClassFileTransformer {

  static final long MAX_WAIT_SECONDS = 30;
  private static final int MAX_UNWOVEN_NAMES = 8;

  private static final Logger log = LoggerFactory.getLogger(DeferredWeaving.class);

  private final CandidateFilter filter;
  private final CountDownLatch settled = new CountDownLatch(1);
  private final AtomicBoolean gaveUp = new AtomicBoolean();
  private final LongAdder unwoven = new LongAdder();
  private final LongAdder waits = new LongAdder();
  /**
   * Time the loading threads spent in the pre-filter and in the weaving, for the debug line: taken
   * only when it will be printed (the level is set before premain installs this).
   */
  private final boolean timed = log.isDebugEnabled();
  private final LongAdder filterNanos = new LongAdder();
  private final LongAdder weaveNanos = new LongAdder();
  /** The first few classes that loaded unwoven, for the debug line: which ones is the question. */
  private final Queue<String> unwovenNames = new ConcurrentLinkedQueue<>();
  private volatile ClassFileTransformer weaver;
  private volatile Thread builder;

  DeferredWeaving(CandidateFilter filter) {
    this.filter = filter;
  }

  /**
   * Registers the pre-filter with the JVM, or returns null when an instrumentation names no
   * candidates (then every class must go to Byte Buddy, and the weaving is built at once).
   */
  public static DeferredWeaving install(Instrumentation instrumentation, WeavingPlan plan) {
    CandidateFilter filter = CandidateFilter.forAgent(plan.candidates(), new CandidateFilter.FromResources());
    if (filter == null) {
      return null;
    }
    DeferredWeaving deferred = new DeferredWeaving(filter);
    instrumentation.addTransformer(deferred, false);
    return deferred;
  }

  /**
   * Teaches the pre-filter the JDK classes loaded before the agent ({@link
   * CandidateFilter#rememberJdkTypes}), so that a class extending one of them needs no class file
   * read. Called on the agent's start thread, not in premain: it takes some 10 ms, and until it is
   * done the filter reads those class files as before.
   */
  public void learnLoadedJdkTypes(Instrumentation instrumentation) {
    try {
      filter.rememberJdkTypes(instrumentation.getAllLoadedClasses());
    } catch (RuntimeException e) {
      log.debug("The pre-filter could not learn the loaded JDK classes ({}); it reads their class files", e.toString());
    }
  }

  /** Marks the calling thread as the one building the weaving: it must never wait for itself. */
  public void buildingOnThisThread() {
    builder = Thread.currentThread();
  }

  /**
   * Hands over Byte Buddy's transformer, or null when it could not be built; either way, threads
   * waiting for it go on. Called once.
   */
  public void settle(ClassFileTransformer weaver) {
    this.weaver = weaver;
    settled.countDown();
  }

  CandidateFilter filter() {
    return filter;
  }

  /** Candidate classes that loaded unwoven because the weaving was not there in time, or failed. */
  public long unwoven() {
    return unwoven.sum();
  }

  /** Internal names of the first classes counted in {@link #unwoven()}. */
  public List<String> unwovenNames() {
    return new ArrayList<>(unwovenNames);
  }

  /** Candidate classes whose loading waited for the weaving to be built. */
  public long waits() {
    return waits.sum();
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String className, Class<?> classBeingRedefined, ProtectionDomain domain, byte[] classFile)
      throws IllegalClassFormatException {
    long start = timed ? System.nanoTime() : 0;
    boolean skipped = filter.skips(loader, className, classBeingRedefined, classFile);
    if (timed) {
      filterNanos.add(System.nanoTime() - start);
    }
    if (skipped) {
      return null;
    }
    ClassFileTransformer ready = awaitWeaver();
    if (ready == null) {
      unwoven.increment();
      if (unwoven.sum() <= MAX_UNWOVEN_NAMES) {
        unwovenNames.add(className);
      }
      return null;
    }
    if (!timed) {
      return ready.transform(loader, className, classBeingRedefined, domain, classFile);
    }
    start = System.nanoTime();
    try {
      return ready.transform(loader, className, classBeingRedefined, domain, classFile);
    } finally {
      weaveNanos.add(System.nanoTime() - start);
    }
  }

  /** Where the loading threads' time in this transformer went, so far: "pre-filter 81 ms, weaving 140 ms". */
  public String describeTime() {
    return "pre-filter " + TimeUnit.NANOSECONDS.toMillis(filterNanos.sum()) + " ms, weaving "
        + TimeUnit.NANOSECONDS.toMillis(weaveNanos.sum()) + " ms";
  }

  private ClassFileTransformer awaitWeaver() {
    if (settled.getCount() == 0) {
      return weaver;
    }
    if (Thread.currentThread() == builder || gaveUp.get()) {
      return null;
    }
    waits.increment();
    try {
      if (!settled.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
        if (gaveUp.compareAndSet(false, true)) {
          log.warn("The agent's weaving was not ready after {} s; classes loaded until it is run uninstrumented",
              MAX_WAIT_SECONDS);
        }
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return weaver;
  }
}
