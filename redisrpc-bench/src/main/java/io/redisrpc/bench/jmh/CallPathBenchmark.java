package io.redisrpc.bench.jmh;

import io.redisrpc.Codec;
import io.redisrpc.Deadline;
import io.redisrpc.Metadata;
import io.redisrpc.RpcCall;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.examples.dropbox.FileData;
import io.redisrpc.internal.codec.IncomingReply;
import io.redisrpc.internal.codec.IncomingRequest;
import io.redisrpc.internal.codec.MalformedMessageException;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.dispatch.HandlerInvoker;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.internal.transport.RedisKeys;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call CPU path of redisrpc without Redis, for the Dropbox {@code uploadFile(FileData)}
 * call: the client encodes the request, the server decodes it, dispatches it to {@link
 * DropboxService} and encodes the reply, the client decodes the reply. {@link #roundTrip()} is the
 * whole path; the other benchmarks are its steps. Run with {@code -prof gc} for bytes per call
 * ({@code gc.alloc.rate.norm}); {@code redisrpc bench --jmh} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CallPathBenchmark {
  /** The codec of the call. */
  @Param({"msgpack", "json"})
  public String codec;

  /** The size of the uploaded file's content. */
  @Param({"64", "1024"})
  public int payloadBytes;

  private ServiceModel model;
  private WireCodec wire;
  private MethodCodec upload;
  private Function<String, MethodCodec> endpoints;
  private Function<String, MethodCodec> pending;
  private HandlerInvoker invoker;
  private FileData file;
  private String replyTo;
  private long sequence;
  private byte[] request;
  private IncomingRequest decoded;
  private byte[] reply;

  /** Builds what a client and a server build once, and one encoded request and reply. */
  @Setup
  public void setup() throws Exception {
    model = ServiceModel.parse(Dropbox.class);
    wire = WireCodec.of(Codec.forName(codec));
    MethodModel method = model.endpoint("uploadFile");
    upload = wire.methodCodec(method);
    endpoints = name -> name.equals("uploadFile") ? upload : null;
    pending = id -> upload;
    invoker = new HandlerInvoker(method, new DropboxService());
    byte[] data = new byte[payloadBytes];
    new Random(42).nextBytes(data);
    file = new FileData("file1", data);
    replyTo = new RedisKeys(model.name()).replyChannel("0123456789abcdef0123456789abcdef");
    request = encodeRequest();
    decoded = decodeRequest();
    reply = dispatch();
  }

  /** Client: a call's request message, as the proxy and the transport make it. */
  @Benchmark
  public byte[] encodeRequest() {
    RpcCall call =
        RpcCall.create(
            model.name(),
            "uploadFile",
            Arrays.asList(file),
            Metadata.empty(),
            Deadline.after(Duration.ofSeconds(10)));
    String id = Long.toString(++sequence, 36);
    return wire.encodeRequest(
        id,
        replyTo,
        upload,
        call.deadline().remainingMillis(),
        -1,
        call.headers(),
        null,
        false,
        0,
        call.arguments().toArray());
  }

  /** Server: decodes the request into the endpoint's argument types. */
  @Benchmark
  public IncomingRequest decodeRequest() throws MalformedMessageException {
    return wire.decodeRequest(request, endpoints);
  }

  /** Server: runs the handler for the decoded request and encodes its reply. */
  @Benchmark
  public byte[] dispatch() throws Exception {
    IncomingRequest in = decoded;
    RpcCall call =
        RpcCall.create(
            model.name(),
            in.method(),
            Arrays.asList(in.arguments()),
            in.headers(),
            Deadline.after(Duration.ofMillis(in.timeoutMillis())));
    Object result = invoker.invoke(call).toCompletableFuture().join();
    return wire.encodeResult(in.id(), in.codec(), result);
  }

  /** Client: decodes the reply into the result type. */
  @Benchmark
  public IncomingReply decodeReply() throws MalformedMessageException {
    return wire.decodeReply(reply, pending);
  }

  /** The whole path of one call, client and server. */
  @Benchmark
  public Object roundTrip() throws Exception {
    RpcCall clientCall =
        RpcCall.create(
            model.name(),
            "uploadFile",
            Arrays.asList(file),
            Metadata.empty(),
            Deadline.after(Duration.ofSeconds(10)));
    String id = Long.toString(++sequence, 36);
    byte[] req =
        wire.encodeRequest(
            id,
            replyTo,
            upload,
            clientCall.deadline().remainingMillis(),
            -1,
            clientCall.headers(),
            null,
            false,
            0,
            clientCall.arguments().toArray());
    IncomingRequest in = wire.decodeRequest(req, endpoints);
    RpcCall serverCall =
        RpcCall.create(
            model.name(),
            in.method(),
            Arrays.asList(in.arguments()),
            in.headers(),
            Deadline.after(Duration.ofMillis(in.timeoutMillis())));
    Object result = invoker.invoke(serverCall).toCompletableFuture().join();
    byte[] rep = wire.encodeResult(in.id(), in.codec(), result);
    IncomingReply out = wire.decodeReply(rep, pending);
    if (out.error() != null) {
      throw new IllegalStateException("upload failed: " + out.error());
    }
    return out.result();
  }

  /** The benchmark methods, for the runner. */
  public static List<String> steps() {
    return List.of("roundTrip", "encodeRequest", "decodeRequest", "dispatch", "decodeReply");
  }
}
