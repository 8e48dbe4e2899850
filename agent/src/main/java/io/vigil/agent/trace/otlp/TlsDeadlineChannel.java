package io.vigil.agent.trace.otlp;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over a {@link DeadlineChannel} with an {@link SSLEngine}, so that the handshake and every
 * record keep the same deadline as plain connections. Verifies the server's host name and offers
 * only {@code h2} by ALPN, as gRPC requires.
 *
 * <p>The ALPN methods came with Java 9 and were backported to Java 8u252; they are called by
 * reflection because this class is compiled for the Java 8 API. {@link #alpnAvailable()} says
 * whether this JVM has them.
 */
final class TlsDeadlineChannel implements DeadlineChannel {

  private static final Method SET_APPLICATION_PROTOCOLS =
      method(SSLParameters.class, "setApplicationProtocols", String[].class);
  private static final Method GET_APPLICATION_PROTOCOL = method(SSLEngine.class, "getApplicationProtocol");
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final DeadlineChannel net;
  private final SSLEngine engine;
  /** Encrypted octets received, in fill mode. */
  private ByteBuffer netIn;
  /** Encrypted octets to send, in fill mode between uses. */
  private ByteBuffer netOut;
  /** Decrypted octets not yet handed out, in fill mode. */
  private ByteBuffer appIn;

  private TlsDeadlineChannel(DeadlineChannel net, SSLEngine engine) {
    this.net = net;
    this.engine = engine;
    this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  static boolean alpnAvailable() {
    return SET_APPLICATION_PROTOCOLS != null && GET_APPLICATION_PROTOCOL != null;
  }

  /**
   * Runs the client handshake over {@code net}, offering {@code h2} by ALPN.
   *
   * @return the channel; {@link #applicationProtocol()} tells what the server chose
   */
  static TlsDeadlineChannel handshake(
      DeadlineChannel net, SSLContext context, String host, int port, long deadlineNanos) throws IOException {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    invoke(SET_APPLICATION_PROTOCOLS, parameters, (Object) new String[] {"h2"});
    engine.setSSLParameters(parameters);
    TlsDeadlineChannel channel = new TlsDeadlineChannel(net, engine);
    engine.beginHandshake();
    channel.handshake(engine.getHandshakeStatus(), deadlineNanos);
    return channel;
  }

  /** The protocol the server chose by ALPN; empty when it chose none. */
  String applicationProtocol() throws IOException {
    Object protocol = invoke(GET_APPLICATION_PROTOCOL, engine);
    return protocol == null ? "" : (String) protocol;
  }

  @Override
  public int read(ByteBuffer dst, boolean wait, long deadlineNanos) throws IOException {
    while (true) {
      if (appIn.position() > 0) {
        appIn.flip();
        int count = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + count);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return count;
      }
      if (netIn.position() > 0) {
        SSLEngineResult result = unwrap();
        switch (result.getStatus()) {
          case OK:
            handshake(result.getHandshakeStatus(), deadlineNanos);
            if (result.bytesConsumed() > 0 || result.bytesProduced() > 0) {
              continue;
            }
            break;
          case BUFFER_OVERFLOW:
            appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
            continue;
          case CLOSED:
            return -1;
          default: // BUFFER_UNDERFLOW: a record is incomplete
            break;
        }
      }
      if (!netIn.hasRemaining()) {
        netIn = enlarge(netIn, engine.getSession().getPacketBufferSize());
      }
      int read = net.read(netIn, wait, deadlineNanos);
      if (read < 0) {
        if (netIn.position() > 0) {
          throw new EOFException("connection closed inside a TLS record");
        }
        return -1;
      }
      if (read == 0) {
        return 0;
      }
    }
  }

  @Override
  public void write(ByteBuffer src, long deadlineNanos) throws IOException {
    while (src.hasRemaining()) {
      SSLEngineResult result = wrap(src);
      if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
        throw new SSLException("TLS connection closed");
      }
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        netOut = enlarge(netOut, engine.getSession().getPacketBufferSize());
        continue;
      }
      send(deadlineNanos);
      handshake(result.getHandshakeStatus(), deadlineNanos);
    }
  }

  /** Sends close_notify if the socket takes it at once, then closes. */
  @Override
  public void close() {
    try {
      engine.closeOutbound();
      wrap(EMPTY);
      send(System.nanoTime());
    } catch (IOException | RuntimeException ignored) {
      // Closing anyway.
    }
    net.close();
  }

  /**
   * Drives the handshake from {@code status} until it is done; also serves the handshake messages
   * that TLS 1.3 sends after it (session tickets, key updates).
   */
  private void handshake(SSLEngineResult.HandshakeStatus status, long deadlineNanos) throws IOException {
    while (true) {
      switch (status) {
        case NEED_TASK:
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
          status = engine.getHandshakeStatus();
          break;
        case NEED_WRAP:
          SSLEngineResult wrapped = wrap(EMPTY);
          if (wrapped.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            netOut = enlarge(netOut, engine.getSession().getPacketBufferSize());
            break;
          }
          send(deadlineNanos);
          if (wrapped.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("TLS handshake closed by the peer");
          }
          status = wrapped.getHandshakeStatus();
          break;
        case FINISHED:
        case NOT_HANDSHAKING:
          return;
        default: // NEED_UNWRAP, and NEED_UNWRAP_AGAIN (Java 9+, DTLS only)
          SSLEngineResult unwrapped = unwrap();
          switch (unwrapped.getStatus()) {
            case BUFFER_UNDERFLOW:
              if (!netIn.hasRemaining()) {
                netIn = enlarge(netIn, engine.getSession().getPacketBufferSize());
              }
              if (net.read(netIn, true, deadlineNanos) < 0) {
                throw new EOFException("connection closed during the TLS handshake");
              }
              break;
            case BUFFER_OVERFLOW:
              appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
              break;
            case CLOSED:
              throw new SSLException("TLS handshake closed by the peer");
            default:
              status = unwrapped.getHandshakeStatus();
              break;
          }
          break;
      }
    }
  }

  private SSLEngineResult unwrap() throws SSLException {
    netIn.flip();
    try {
      return engine.unwrap(netIn, appIn);
    } finally {
      netIn.compact();
    }
  }

  private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
    netOut.clear();
    SSLEngineResult result = engine.wrap(src, netOut);
    netOut.flip();
    return result;
  }

  private void send(long deadlineNanos) throws IOException {
    if (netOut.hasRemaining()) {
      net.write(netOut, deadlineNanos);
    }
  }

  /** A buffer with room for {@code size} more octets, keeping what is in it (fill mode). */
  private static ByteBuffer enlarge(ByteBuffer buffer, int size) {
    ByteBuffer bigger = ByteBuffer.allocate(buffer.position() + Math.max(size, 1024));
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  private static Method method(Class<?> type, String name, Class<?>... parameters) {
    try {
      return type.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Object invoke(Method method, Object target, Object... arguments) throws IOException {
    if (method == null) {
      throw new SSLException("this Java has no ALPN support, which gRPC over TLS needs");
    }
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw new SSLException("ALPN call failed", e.getCause());
    } catch (IllegalAccessException e) {
      throw new SSLException("ALPN call failed", e);
    }
  }
}
