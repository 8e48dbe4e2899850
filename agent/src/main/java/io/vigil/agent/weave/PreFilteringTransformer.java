package io.vigil.agent.weave;

import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Iterator;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * Byte Buddy's transformer behind the {@link CandidateFilter}: a class being loaded for the first
 * time that no instrumentation can match is answered "unchanged" at once, without a type
 * description, matchers or a hierarchy walk. Retransformations (late attach) always go to Byte
 * Buddy, which decides as before.
 */
final class PreFilteringTransformer extends ResettableClassFileTransformer.AbstractBase {

  private final ResettableClassFileTransformer delegate;
  private final CandidateFilter filter;

  PreFilteringTransformer(ResettableClassFileTransformer delegate, CandidateFilter filter) {
    this.delegate = delegate;
    this.filter = filter;
  }

  static AgentBuilder.TransformerDecorator decorator(final CandidateFilter filter) {
    return transformer -> new PreFilteringTransformer(transformer, filter);
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String className, Class<?> classBeingRedefined, ProtectionDomain domain, byte[] classFile)
      throws IllegalClassFormatException {
    if (filter.skips(loader, className, classBeingRedefined, classFile)) {
      return null;
    }
    return delegate.transform(loader, className, classBeingRedefined, domain, classFile);
  }

  @Override
  public Iterator<AgentBuilder.Transformer> iterator(
      TypeDescription type, ClassLoader loader, JavaModule module, Class<?> classBeingRedefined,
      ProtectionDomain domain) {
    return delegate.iterator(type, loader, module, classBeingRedefined, domain);
  }

  @Override
  public boolean reset(
      Instrumentation instrumentation, ResettableClassFileTransformer classFileTransformer,
      AgentBuilder.RedefinitionStrategy redefinitionStrategy,
      AgentBuilder.RedefinitionStrategy.DiscoveryStrategy discoveryStrategy,
      AgentBuilder.RedefinitionStrategy.BatchAllocator batchAllocator,
      AgentBuilder.RedefinitionStrategy.Listener listener) {
    return delegate.reset(
        instrumentation, classFileTransformer, redefinitionStrategy, discoveryStrategy, batchAllocator, listener);
  }
}
