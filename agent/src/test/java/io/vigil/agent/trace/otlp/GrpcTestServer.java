package io.vigil.agent.trace.otlp;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Attributes;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real grpc-java server (Netty) on 127.0.0.1 that serves TraceService/Export with raw octets:
 * a byte-array marshaller instead of generated code. Records requests, their metadata and the
 * number of connections; answers as {@link #handler} says.
 */
final class GrpcTestServer implements AutoCloseable {

  static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

  /** Held so that the level sticks: grpc-java warns about every call a test makes fail. */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  static {
    GRPC_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  interface Handler {
    void handle(byte[] request, StreamObserver<byte[]> responses);
  }

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], byte[]> EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
      .setRequestMarshaller(BYTES)
      .setResponseMarshaller(BYTES)
      .build();

  /** An empty ExportTraceServiceResponse: all accepted. */
  static final Handler ACCEPT = (request, responses) -> {
    responses.onNext(new byte[0]);
    responses.onCompleted();
  };

  final List<byte[]> requests = new CopyOnWriteArrayList<>();
  final List<Metadata> metadata = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  volatile Handler handler = ACCEPT;

  private final Consumer<NettyServerBuilder> customizer;
  private int port;
  private Server server;

  private GrpcTestServer(Consumer<NettyServerBuilder> customizer) {
    this.customizer = customizer;
  }

  static GrpcTestServer start() throws IOException {
    return start(builder -> {});
  }

  static GrpcTestServer start(Consumer<NettyServerBuilder> customizer) throws IOException {
    GrpcTestServer server = new GrpcTestServer(customizer);
    server.listen(0);
    return server;
  }

  int port() {
    return port;
  }

  /** Stops, dropping every connection, and listens again on the same port. */
  void restart() throws Exception {
    stop();
    listen(port);
  }

  void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
      server = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void listen(int port) throws IOException {
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(EXPORT, ServerCalls.asyncUnaryCall((request, responses) -> {
          requests.add(request);
          handler.handle(request, responses);
        }))
        .build();
    ServerInterceptor recordMetadata = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        metadata.add(headers);
        return next.startCall(call, headers);
      }
    };
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(ServerInterceptors.intercept(service, recordMetadata))
        .addTransportFilter(new ServerTransportFilter() {
          @Override
          public Attributes transportReady(Attributes attributes) {
            connections.incrementAndGet();
            return attributes;
          }
        });
    customizer.accept(builder);
    server = builder.build().start();
    this.port = server.getPort();
  }
}
