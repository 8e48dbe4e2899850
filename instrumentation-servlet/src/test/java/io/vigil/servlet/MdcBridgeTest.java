package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** The bridge finds a web application's own SLF4J, and does not keep it loaded once undeployed. */
class MdcBridgeTest {

  private final MdcBridge bridge = new MdcBridge();

  @Test
  void anUndeployedApplicationsLoaderIsNotKeptByTheCache() throws Exception {
    WeakReference<ClassLoader> undeployed = serveOneRequestFromAWebappLoader();
    for (int i = 0; i < 20 && undeployed.get() != null; i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertNull(undeployed.get(), "the last web application's class loader is still reachable");
  }

  @Test
  void theSameLoaderIsServedFromTheCache() throws Exception {
    ClassLoader webapp = webappLoader();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(webapp);
    try {
      MdcBridge.Binding first = bridge.current();
      assertFalse(first.isEmpty(), "the webapp's own org.slf4j.MDC is found");
      assertSame(first, bridge.current());
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  /** A webapp loader with its own SLF4J serves one request, then is dropped as on undeploy. */
  private WeakReference<ClassLoader> serveOneRequestFromAWebappLoader() throws Exception {
    ClassLoader webapp = webappLoader();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(webapp);
    try {
      MdcBridge.Binding binding = bridge.current();
      assertTrue(binding.loader.get() == webapp);
      binding.put("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
      binding.remove();
    } finally {
      thread.setContextClassLoader(before);
    }
    return new WeakReference<>(webapp);
  }

  private static ClassLoader webappLoader() {
    URL slf4j = org.slf4j.MDC.class.getProtectionDomain().getCodeSource().getLocation();
    return new URLClassLoader(new URL[] {slf4j}, null);
  }
}
