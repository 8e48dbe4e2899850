package io.vigil.agent.weave;

import static io.vigil.agent.weave.ClassFileHeaderTest.bytesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.Candidates;
import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandidateFilterTest {

  interface Target {}

  interface SubTarget extends Target {}

  static class Plain {}

  static class PlainChild extends Plain implements Serializable {}

  static class Direct implements Target {}

  abstract static class ViaInterface implements Comparable<String>, SubTarget {}

  static class Deep extends ViaInterface {
    @Override
    public int compareTo(String o) {
      return 0;
    }
  }

  static class DeeperStill extends Deep {}

  static class Named {}

  static class MissingParent extends Plain {}

  static class ChildOfMissing extends MissingParent {}

  /** Serves class files by internal name from the test classes, counting the reads. */
  private final List<String> reads = new ArrayList<>();
  private final Map<String, byte[]> hidden = new HashMap<>();
  private final CandidateFilter.ClassFiles files = (loader, name) -> {
    reads.add(name);
    if (hidden.containsKey(name)) {
      return hidden.get(name);
    }
    return new CandidateFilter.FromResources().read(loader, name);
  };

  private final ClassLoader loader = getClass().getClassLoader();

  private CandidateFilter filter() {
    return CandidateFilter.of(
        Arrays.asList(Candidates.withSuperType(Target.class.getName()), Candidates.named(Named.class.getName())), files);
  }

  private static String internal(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private boolean mayMatch(CandidateFilter filter, Class<?> type) {
    return filter.mayMatch(loader, internal(type), bytesOf(type));
  }

  @Test
  void classesWithTheSuperTypeAnywhereInTheirHierarchyPass() {
    CandidateFilter filter = filter();
    assertTrue(mayMatch(filter, Direct.class));
    assertTrue(mayMatch(filter, ViaInterface.class));
    assertTrue(mayMatch(filter, Deep.class));
    assertTrue(mayMatch(filter, DeeperStill.class));
    assertTrue(mayMatch(filter, SubTarget.class));
    assertTrue(mayMatch(filter, Target.class));
  }

  @Test
  void theAgentsOwnClassesAreRejectedEvenWhenTheyImplementACandidateType() {
    CandidateFilter agents = CandidateFilter.forAgent(
        Arrays.asList(Candidates.withSuperType(Target.class.getName()), Candidates.named(Named.class.getName())), files);
    // A module's handler implementing a candidate interface, as the thread building the weaving loads it.
    assertFalse(agents.mayMatch(loader, "io/vigil/servlet/ServletRequestTracker", bytesOf(Direct.class)));
    assertFalse(agents.mayMatch(loader, "io/vigil/shaded/io/prometheus/client/Histogram", bytesOf(Direct.class)));
    // Outside the agent's packages the same class file is still a candidate, and a named one always is.
    assertTrue(agents.mayMatch(loader, "com/example/web/OwnersServlet", bytesOf(Direct.class)));
    assertTrue(mayMatch(agents, Named.class));
    assertTrue(mayMatch(filter(), Direct.class), "the plain filter knows no own packages");
  }

  @Test
  void classesWithoutItAreRejected() {
    CandidateFilter filter = filter();
    assertFalse(mayMatch(filter, Plain.class));
    assertFalse(mayMatch(filter, PlainChild.class));
    assertFalse(mayMatch(filter, CandidateFilterTest.class));
    assertFalse(filter.mayMatch(null, "java/lang/String", bytesOf(String.class)));
    assertEquals(4, filter.rejected());
    assertEquals(0, filter.passed());
  }

  @Test
  void aTransformerSkipsFirstLoadsOfNonCandidatesButNeverARetransformationOrAnUnreadableClass() {
    CandidateFilter filter = filter();
    assertTrue(filter.skips(loader, internal(Plain.class), null, bytesOf(Plain.class)));
    assertFalse(filter.skips(loader, internal(Direct.class), null, bytesOf(Direct.class)));
    assertFalse(filter.skips(loader, internal(Plain.class), Plain.class, bytesOf(Plain.class)),
        "a retransformation is for the weaver to decide");
    assertFalse(filter.skips(loader, internal(Plain.class), null, new byte[] {(byte) 0xCA, (byte) 0xFE}),
        "a class file the filter cannot read goes on to the weaver");
  }

  @Test
  void aNamedCandidatePassesByItsNameAloneAndItsSubclassesDoNot() {
    CandidateFilter filter = filter();
    assertTrue(mayMatch(filter, Named.class));
    assertTrue(filter.mayMatch(loader, internal(Named.class), new byte[] {1, 2, 3}));
    assertFalse(filter.mayMatch(loader, internal(Plain.class) + "X", bytesOf(Plain.class)));
  }

  @Test
  void eachSuperTypeIsReadOnceAndAnsweredFromMemoryAfterwards() {
    CandidateFilter filter = filter();
    assertTrue(mayMatch(filter, DeeperStill.class));
    List<String> first = new ArrayList<>(reads);
    assertTrue(first.contains(internal(Deep.class)));
    assertTrue(first.contains(internal(ViaInterface.class)));
    reads.clear();
    // Its super types load next, as the JVM resolves them: all known already.
    assertTrue(mayMatch(filter, Deep.class));
    assertTrue(mayMatch(filter, ViaInterface.class));
    assertFalse(mayMatch(filter, PlainChild.class));
    assertFalse(mayMatch(filter, Plain.class));
    assertEquals(Arrays.asList(internal(Plain.class)), reads.subList(0, 1));
    reads.clear();
    assertFalse(mayMatch(filter, PlainChild.class));
    assertTrue(reads.isEmpty(), reads.toString());
  }

  @Test
  void jdkTypesAreRememberedForEveryLoader() {
    CandidateFilter filter = filter();
    assertFalse(mayMatch(filter, PlainChild.class));
    assertTrue(reads.contains("java/io/Serializable"));
    reads.clear();
    ClassLoader other = new URLClassLoader(new URL[0], loader);
    assertFalse(filter.mayMatch(other, internal(PlainChild.class), bytesOf(PlainChild.class)));
    assertFalse(reads.contains("java/io/Serializable"), reads.toString());
    assertTrue(reads.contains(internal(Plain.class)), "non-JDK types are remembered per loader");
  }

  @Test
  void aJdkSuperTypeThatIsACandidateIsFoundThroughTheJdksOwnHierarchy() {
    CandidateFilter filter = CandidateFilter.of(
        Collections.singletonList(Candidates.withSuperType("java.sql.Statement")), files);
    abstract class Callable implements java.sql.CallableStatement {}
    abstract class Unrelated implements java.sql.ResultSet {}
    assertTrue(mayMatch(filter, Callable.class));
    assertFalse(mayMatch(filter, Unrelated.class));
  }

  @Test
  void aJdkClassOfTheBootLoaderIsSkippedWithoutReadingAnything() throws Exception {
    // Reading could need the class being loaded itself (the jrt: URL handler): ClassCircularityError.
    CandidateFilter filter = CandidateFilter.of(
        Collections.singletonList(Candidates.withSuperType("java.util.RandomAccess")), files);
    Class<?> jrtHandler = Class.forName("sun.net.www.protocol.jrt.Handler");
    assertFalse(filter.mayMatch(null, internal(jrtHandler), bytesOf(jrtHandler)));
    assertFalse(filter.mayMatch(null, "java/util/ArrayList", bytesOf(ArrayList.class)), "never woven anyway");
    assertTrue(reads.isEmpty(), "nothing read: " + reads);

    // Its subclasses still get the right answer: ArrayList implements RandomAccess.
    assertTrue(filter.mayMatch(loader, "x/Listed", classFile("x/Listed", "java/util/ArrayList")));
    assertTrue(reads.contains("java/util/ArrayList"), reads.toString());
  }

  @Test
  void aJdkClassOfTheBootLoaderWhoseSuperTypesAreKnownIsRemembered() {
    CandidateFilter filter = CandidateFilter.of(
        Collections.singletonList(Candidates.withSuperType("java.util.RandomAccess")), files);
    filter.rememberJdkTypes(new Class<?>[] {java.util.AbstractList.class, Cloneable.class, Serializable.class});
    assertFalse(filter.mayMatch(null, "java/util/ArrayList", bytesOf(ArrayList.class)));
    assertTrue(filter.mayMatch(loader, "x/Listed", classFile("x/Listed", "java/util/ArrayList")));
    assertTrue(reads.isEmpty(), "ArrayList's answer came from its own class file: " + reads);
  }

  @Test
  void jdkTypesLoadedBeforeTheAgentAreAnsweredWithoutReadingTheirClassFiles() {
    List<Candidates> randomAccess = Collections.singletonList(Candidates.withSuperType("java.util.RandomAccess"));
    byte[] listed = classFile("x/Listed", "java/util/ArrayList");
    byte[] linked = classFile("x/Linked", "java/util/LinkedList");

    CandidateFilter reading = CandidateFilter.of(randomAccess, files);
    assertTrue(reading.mayMatch(loader, "x/Listed", listed));
    assertTrue(reads.contains("java/util/ArrayList"), "without them, the super type's class file is read");
    reads.clear();

    CandidateFilter seeded = CandidateFilter.of(randomAccess, files);
    seeded.rememberJdkTypes(new Class<?>[] {
        ArrayList.class, java.util.LinkedList.class, String[].class, int.class, Plain.class});
    assertTrue(seeded.mayMatch(loader, "x/Listed", listed), "ArrayList implements RandomAccess");
    assertFalse(seeded.mayMatch(loader, "x/Linked", linked));
    assertTrue(reads.isEmpty(), "nothing read: " + reads);
  }

  @Test
  void loadedJdkTypesGetTheSameAnswersAsTheirClassFiles() {
    List<Candidates> candidates = Arrays.asList(Candidates.withSuperType("java.util.RandomAccess"),
        Candidates.withSuperType("java.lang.AutoCloseable"), Candidates.withSuperType("java.util.Map"),
        Candidates.withSuperType("java.util.concurrent.Executor"));
    Class<?>[] jdkTypes = {Object.class, String.class, Thread.class, Exception.class, ArrayList.class,
        java.util.LinkedList.class, HashMap.class, java.util.concurrent.ConcurrentHashMap.class,
        java.util.TreeMap.class, java.util.AbstractMap.class, java.io.InputStream.class,
        java.io.BufferedReader.class, java.util.zip.ZipFile.class, java.util.concurrent.ThreadPoolExecutor.class,
        java.util.concurrent.ForkJoinPool.class, java.util.Properties.class, java.nio.channels.FileChannel.class,
        Iterable.class, Runnable.class, java.util.Collections.class};
    CandidateFilter reading = CandidateFilter.of(candidates, files);
    CandidateFilter seeded = CandidateFilter.of(candidates, files);
    seeded.rememberJdkTypes(jdkTypes);
    int matched = 0;
    for (Class<?> jdkType : jdkTypes) {
      byte[] sub = classFile("x/Sub", internal(jdkType));
      boolean expected = reading.mayMatch(loader, "x/Sub", sub);
      assertEquals(expected, seeded.mayMatch(loader, "x/Sub", sub), jdkType.getName());
      matched += expected ? 1 : 0;
    }
    assertTrue(matched > 5 && matched < jdkTypes.length, "both answers occur: " + matched);
  }

  @Test
  void everyDoubtLetsTheClassThrough() {
    CandidateFilter filter = filter();
    hidden.put(internal(MissingParent.class), null);
    assertTrue(mayMatch(filter, ChildOfMissing.class), "a super type the loader cannot show");
    hidden.put(internal(MissingParent.class), new byte[] {0, 1, 2});
    assertTrue(mayMatch(filter, ChildOfMissing.class), "a super type that does not parse");
    assertTrue(filter.mayMatch(loader, internal(Plain.class), new byte[] {(byte) 0xCA, (byte) 0xFE}), "unreadable bytes");
    assertTrue(filter.mayMatch(loader, null, bytesOf(Plain.class)), "no name");
    assertTrue(filter.mayMatch(loader, internal(Plain.class), null), "no bytes");
    hidden.remove(internal(MissingParent.class));
    assertFalse(mayMatch(filter, ChildOfMissing.class), "doubts are not remembered");
  }

  @Test
  void aHierarchyDeeperThanTheLimitPasses() {
    // A chain of made-up class files, each extending the next, never ending in a known type.
    Map<String, byte[]> chain = new HashMap<>();
    for (int i = 0; i <= CandidateFilter.MAX_DEPTH + 2; i++) {
      chain.put("deep/C" + i, classFile("deep/C" + i, "deep/C" + (i + 1)));
    }
    CandidateFilter filter = CandidateFilter.of(
        Collections.singletonList(Candidates.withSuperType("deep.Target")),
        (l, name) -> chain.containsKey(name) ? chain.get(name) : files.read(l, name));
    assertTrue(filter.mayMatch(loader, "deep/C0", chain.get("deep/C0")));
    assertFalse(filter.mayMatch(loader, "shallow/A", classFile("shallow/A", "java/lang/Object")));
  }

  @Test
  void anInstrumentationThatPromisesNothingTurnsTheFilterOff() {
    assertNull(CandidateFilter.of(Arrays.asList(Candidates.named("a.B"), Candidates.any()), files));
  }

  @Test
  void jdkNamespacesAreTheBootModulesOnly() {
    assertTrue(CandidateFilter.isJdkType("java/lang/Object"));
    assertTrue(CandidateFilter.isJdkType("com/sun/proxy/X"));
    assertTrue(CandidateFilter.isJdkType("jdk/internal/X"));
    assertTrue(CandidateFilter.isJdkType("sun/misc/X"));
    assertFalse(CandidateFilter.isJdkType("javax/servlet/Servlet"));
    assertFalse(CandidateFilter.isJdkType("javaxx/Y"));
    assertFalse(CandidateFilter.isJdkType("com/sunny/Y"));
  }

  /** A minimal class file: a public class named {@code name} extending {@code superName}, nothing else. */
  static byte[] classFile(String name, String superName) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    try {
      out.writeInt(0xCAFEBABE);
      out.writeShort(0);
      out.writeShort(52);
      out.writeShort(5); // entries 1..4
      out.writeByte(1);
      out.writeUTF(name);
      out.writeByte(7);
      out.writeShort(1);
      out.writeByte(1);
      out.writeUTF(superName);
      out.writeByte(7);
      out.writeShort(3);
      out.writeShort(0x0021);
      out.writeShort(2);
      out.writeShort(4);
      out.writeShort(0);
      out.writeShort(0);
      out.writeShort(0);
      out.writeShort(0);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }
}
