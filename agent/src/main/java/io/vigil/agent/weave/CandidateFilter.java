package io.vigil.agent.weave;

import io.vigil.api.Candidates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides from a class file's bytes whether any instrumentation could match the class, before
 * Byte Buddy describes it: only classes with a candidate name, or with a candidate super type
 * somewhere in their hierarchy, go on. The hierarchy is read from the class files themselves (the
 * super class and interfaces in the constant pool), and each type's answer is remembered per class
 * loader, so a super type shared by thousands of classes is read once. Most classes are answered
 * from their own direct super types and that memory.
 *
 * <p>Every doubt lets the class through: bytes it cannot read, a super type whose class file the
 * loader cannot find, a hierarchy deeper than {@value #MAX_DEPTH}. Byte Buddy then decides as it
 * did before, so the filter can only save work, never lose a class.
 *
 * <p>Memory: at most {@value #MAX_TYPES_PER_LOADER} answers per loader (then that loader's starts
 * afresh), held softly and per loader weakly, so neither a loader nor memory under pressure is
 * kept by it. The JDK's own types ({@code java/}, {@code jdk/}, {@code sun/}, {@code com/sun/})
 * are the same for every loader and are remembered once.
 */
final class CandidateFilter {

  static final int MAX_DEPTH = 64;
  static final int MAX_TYPES_PER_LOADER = 65536;

  /** Reads a type's class file as a loader sees it; null when the loader cannot find it. */
  interface ClassFiles {
    byte[] read(ClassLoader loader, String internalName);
  }

  private final Set<String> names;
  private final Set<String> superTypes;
  private final ClassFiles classFiles;
  private final String[] ownPackages;
  private final Map<ClassLoader, SoftReference<Map<String, Boolean>>> byLoader =
      Collections.synchronizedMap(new WeakHashMap<ClassLoader, SoftReference<Map<String, Boolean>>>());
  private final Map<String, Boolean> jdkTypes = new ConcurrentHashMap<>();
  private volatile SoftReference<Map<String, Boolean>> bootTypes = new SoftReference<>(null);
  private final LongAdder passed = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  private CandidateFilter(Set<String> names, Set<String> superTypes, ClassFiles classFiles, String[] ownPackages) {
    this.ownPackages = ownPackages;
    this.names = names;
    this.superTypes = superTypes;
    this.classFiles = classFiles;
  }

  /**
   * The filter for these instrumentations, or null when one of them promises nothing ({@link
   * Candidates#any()}): then every class must go to Byte Buddy.
   */
  static CandidateFilter of(Collection<Candidates> candidates, ClassFiles classFiles) {
    return of(candidates, classFiles, Collections.<String>emptyList());
  }

  /**
   * The agent's own filter: as {@link #of(Collection, ClassFiles)}, and rejecting at once the
   * classes of the agent's own packages (its modules' handlers implement the very interfaces that
   * make a class a candidate; the weaver ignores them anyway, see {@code IgnoredTypes}).
   */
  static CandidateFilter forAgent(Collection<Candidates> candidates, ClassFiles classFiles) {
    return of(candidates, classFiles, AGENT_PACKAGES);
  }

  /** The agent's packages, as internal-name prefixes; its shaded libraries included. */
  static final List<String> AGENT_PACKAGES = Collections.unmodifiableList(Arrays.asList(
      "io/vigil/agent/", "io/vigil/api/", "io/vigil/bootstrap/", "io/vigil/servlet/", "io/vigil/jdbc/",
      "io/vigil/hikari/", "io/vigil/shaded/"));

  static CandidateFilter of(Collection<Candidates> candidates, ClassFiles classFiles, List<String> ownPackages) {
    Set<String> names = new HashSet<>();
    Set<String> superTypes = new HashSet<>();
    for (Candidates one : candidates) {
      if (one.isAny()) {
        return null;
      }
      for (String name : one.names()) {
        names.add(name.replace('.', '/'));
      }
      for (String name : one.superTypeNames()) {
        superTypes.add(name.replace('.', '/'));
      }
    }
    return new CandidateFilter(names, superTypes, classFiles, ownPackages.toArray(new String[0]));
  }

  /**
   * @param internalName the class's name as the JVM gives it to a transformer ({@code a/b/C}), may be null
   * @return false only when no instrumentation can match the class
   */
  /**
   * True when a transformer can answer "unchanged" at once: a class loaded for the first time that
   * no instrumentation can match. Retransformations, and a class the filter fails on, go on.
   */
  boolean skips(ClassLoader loader, String internalName, Class<?> classBeingRedefined, byte[] classFile) {
    if (classBeingRedefined != null) {
      return false;
    }
    try {
      return !mayMatch(loader, internalName, classFile);
    } catch (Throwable t) {
      return false;
    }
  }

  boolean mayMatch(ClassLoader loader, String internalName, byte[] classFile) {
    boolean result = decide(loader, internalName, classFile);
    (result ? passed : rejected).increment();
    return result;
  }

  private boolean decide(ClassLoader loader, String internalName, byte[] classFile) {
    if (internalName == null || classFile == null) {
      return true;
    }
    if (loader == null && isJdkType(internalName)) {
      return answerJdkClassWithoutReading(internalName, classFile);
    }
    if (names.contains(internalName)) {
      return true;
    }
    for (String ownPackage : ownPackages) {
      if (internalName.startsWith(ownPackage)) {
        return false;
      }
    }
    if (superTypes.contains(internalName)) {
      return true;
    }
    ClassFileHeader header;
    try {
      header = ClassFileHeader.read(classFile);
    } catch (RuntimeException unreadable) {
      return true;
    }
    boolean result = anySuperTypeMayMatch(loader, header, 0);
    remember(loader, internalName, result);
    return result;
  }

  /**
   * A JDK class of the boot loader: never woven (the weaver ignores the JDK's own classes), so it
   * is skipped, and nothing is read for it. Reading could even break the application: the class
   * being loaded may be one that reading a class file needs, such as the {@code jrt:} URL handler
   * when the application itself opens its first {@code jrt:} URL, and reading would then load it
   * again on the same thread, a {@link ClassCircularityError} in the application. Its answer is
   * remembered for its subclasses when its direct super types are known already.
   */
  private boolean answerJdkClassWithoutReading(String internalName, byte[] classFile) {
    try {
      boolean above = false;
      for (String superType : ClassFileHeader.read(classFile).directSuperTypes()) {
        Boolean known = knownAnswer(null, superType);
        if (known == null) {
          return false;
        }
        above |= known;
      }
      remember(null, internalName, above);
    } catch (RuntimeException unreadable) {
      // Skipped all the same; its subclasses read it when they need it.
    }
    return false;
  }

  private boolean anySuperTypeMayMatch(ClassLoader loader, ClassFileHeader header, int depth) {
    for (String superType : header.directSuperTypes()) {
      if (hasCandidateSuperType(loader, superType, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the type itself or anything above it is a candidate super type. */
  private boolean hasCandidateSuperType(ClassLoader loader, String type, int depth) {
    Boolean known = knownAnswer(loader, type);
    if (known != null) {
      return known;
    }
    if (depth > MAX_DEPTH) {
      return true;
    }
    byte[] bytes = classFiles.read(loader, type);
    if (bytes == null) {
      // A super type this loader cannot show (absent, or made at run time): let Byte Buddy decide.
      return true;
    }
    boolean result;
    try {
      result = anySuperTypeMayMatch(loader, ClassFileHeader.read(bytes), depth);
    } catch (RuntimeException unreadable) {
      return true;
    }
    remember(loader, type, result);
    return result;
  }

  /**
   * Learns the answers for the JDK's classes among {@code loaded} (those of the boot loader) from
   * the loaded classes themselves: Object, Throwable, the collections, the I/O and concurrency
   * types are the super types met most often, and they were loaded before the agent, so otherwise
   * the first class extending each of them would have its class file read through the runtime
   * image (about 150 of the 578 reads up to the demo's first 200). Nothing is loaded by this: a
   * loaded class's super types are loaded already.
   */
  void rememberJdkTypes(Class<?>[] loaded) {
    Map<Class<?>, Boolean> answered = new IdentityHashMap<>();
    for (Class<?> type : loaded) {
      if (type.getClassLoader() == null && !type.isArray() && !type.isPrimitive()
          && type.getName().indexOf('/') < 0) {
        isOrExtendsCandidate(type, answered);
      }
    }
  }

  /** What {@link #hasCandidateSuperType} answers for a loaded class; JDK types' answers remembered. */
  private boolean isOrExtendsCandidate(Class<?> type, Map<Class<?>, Boolean> answered) {
    Boolean known = answered.get(type);
    if (known != null) {
      return known;
    }
    boolean above = false;
    Class<?> superClass = type.getSuperclass();
    if (superClass != null) {
      above = isOrExtendsCandidate(superClass, answered);
    }
    for (Class<?> implemented : type.getInterfaces()) {
      above |= isOrExtendsCandidate(implemented, answered);
    }
    String name = type.getName().replace('.', '/');
    if (isJdkType(name)) {
      remember(null, name, above);
    }
    boolean result = above || superTypes.contains(name);
    answered.put(type, result);
    return result;
  }

  /** {@link #hasCandidateSuperType}'s answer when it needs no read, else null. */
  private Boolean knownAnswer(ClassLoader loader, String type) {
    return superTypes.contains(type) ? Boolean.TRUE : cache(loader, type, false).get(type);
  }

  private void remember(ClassLoader loader, String type, boolean result) {
    Map<String, Boolean> cache = cache(loader, type, true);
    if (cache.size() >= MAX_TYPES_PER_LOADER) {
      cache.clear();
    }
    cache.put(type, result);
  }

  private Map<String, Boolean> cache(ClassLoader loader, String type, boolean create) {
    if (isJdkType(type)) {
      return jdkTypes;
    }
    if (loader == null) {
      Map<String, Boolean> boot = bootTypes.get();
      if (boot == null) {
        boot = new ConcurrentHashMap<>();
        bootTypes = new SoftReference<>(boot);
      }
      return boot;
    }
    synchronized (byLoader) {
      SoftReference<Map<String, Boolean>> held = byLoader.get(loader);
      Map<String, Boolean> cache = held == null ? null : held.get();
      if (cache == null) {
        if (!create) {
          return Collections.emptyMap();
        }
        cache = new ConcurrentHashMap<>();
        byLoader.put(loader, new SoftReference<>(cache));
      }
      return cache;
    }
  }

  static boolean isJdkType(String internalName) {
    return internalName.startsWith("java/")
        || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/")
        || internalName.startsWith("com/sun/");
  }

  long passed() {
    return passed.sum();
  }

  long rejected() {
    return rejected.sum();
  }

  /** Reads class files through the loader's resources, as Byte Buddy's own class file locator does. */
  static final class FromResources implements ClassFiles {
    @Override
    public byte[] read(ClassLoader loader, String internalName) {
      String resource = internalName + ".class";
      try (InputStream in = loader == null
          ? ClassLoader.getSystemResourceAsStream(resource)
          : loader.getResourceAsStream(resource)) {
        if (in == null) {
          return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) != -1; ) {
          out.write(buffer, 0, n);
        }
        return out.toByteArray();
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }
}
