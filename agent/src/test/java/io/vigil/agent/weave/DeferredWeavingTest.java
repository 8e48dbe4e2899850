package io.vigil.agent.weave;

import static io.vigil.agent.weave.ClassFileHeaderTest.bytesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Candidates;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredWeavingTest {

  static class Woven {}

  static class Ignored {}

  private static final byte[] WOVEN_BYTES = {1, 2, 3};

  private final AtomicInteger weaverCalls = new AtomicInteger();
  private final ClassFileTransformer weaver = new ClassFileTransformer() {
    @Override
    public byte[] transform(
        ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] classFile) {
      weaverCalls.incrementAndGet();
      return WOVEN_BYTES;
    }
  };

  private final DeferredWeaving deferred = new DeferredWeaving(CandidateFilter.of(
      Collections.singletonList(Candidates.named(Woven.class.getName())), new CandidateFilter.FromResources()));

  private byte[] load(Class<?> type) throws Exception {
    return deferred.transform(
        getClass().getClassLoader(), type.getName().replace('.', '/'), null, null, bytesOf(type));
  }

  @Test
  void aClassNoInstrumentationCanMatchIsAnsweredWithoutWaitingForTheWeaving() throws Exception {
    assertNull(load(Ignored.class));
    assertEquals(0, deferred.waits());
    assertEquals(0, weaverCalls.get());
  }

  @Test
  void aCandidateWaitsUntilTheWeavingIsSettledAndIsThenWoven() throws Exception {
    CompletableFuture<byte[]> loading = CompletableFuture.supplyAsync(() -> {
      try {
        return load(Woven.class);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (deferred.waits() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, deferred.waits(), "the candidate's loading thread waits for the weaving");
    assertTrue(!loading.isDone(), "nothing answered the candidate before the weaving was there");

    deferred.settle(weaver);

    assertArrayEquals(WOVEN_BYTES, loading.get(10, TimeUnit.SECONDS));
    assertEquals(1, weaverCalls.get());
    assertEquals(0, deferred.unwoven());
  }

  @Test
  void onceSettledCandidatesGoStraightToTheWeaver() throws Exception {
    deferred.settle(weaver);
    assertArrayEquals(WOVEN_BYTES, load(Woven.class));
    assertNull(load(Ignored.class));
    assertEquals(0, deferred.waits());
    assertEquals(1, weaverCalls.get());
  }

  @Test
  void aWeavingThatCouldNotBeBuiltLeavesCandidatesUnwovenAndCounted() throws Exception {
    deferred.settle(null);
    assertNull(load(Woven.class));
    assertEquals(1, deferred.unwoven());
    assertEquals(java.util.List.of(Woven.class.getName().replace('.', '/')), deferred.unwovenNames(),
        "named in the debug line");
  }

  @Test
  void theThreadBuildingTheWeavingNeverWaitsForItself() throws Exception {
    deferred.buildingOnThisThread();
    assertNull(load(Woven.class));
    assertEquals(0, deferred.waits());
    assertEquals(1, deferred.unwoven());
  }

  @Test
  void retransformationsSkipThePreFilterAndGoToTheWeaver() throws Exception {
    deferred.settle(weaver);
    byte[] answer = deferred.transform(getClass().getClassLoader(), "io/vigil/agent/weave/DeferredWeavingTest$Ignored",
        Ignored.class, null, bytesOf(Ignored.class));
    assertArrayEquals(WOVEN_BYTES, answer);
  }
}
