package io.redisrpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisrpc.Codec;
import io.redisrpc.Deadline;
import io.redisrpc.RpcException;
import io.redisrpc.StatusCode;
import io.redisrpc.internal.codec.ErrorBody;
import io.redisrpc.internal.codec.IncomingReply;
import io.redisrpc.internal.codec.MethodCodec;
import io.redisrpc.internal.codec.WireCodec;
import io.redisrpc.internal.proxy.MethodModel;
import io.redisrpc.internal.proxy.ServiceModel;
import io.redisrpc.streaming.Ticks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The messages of a stream, encoded as a server sends them and decoded as a client reads them, are
 * handed on in the order of their sequence numbers whatever order they come in (parked ones come
 * back in any), each once.
 */
class ClientStreamTest {
  private static final String ID = "1-x";

  private final List<Object> items = new CopyOnWriteArrayList<>();
  private final List<Long> grants = new CopyOnWriteArrayList<>();
  private WireCodec wire;
  private MethodCodec method;
  private PendingCalls<MethodCodec>.Pending pending;
  private ClientStream stream;

  private void open(String codec) {
    wire = WireCodec.of(codec.equals("json") ? Codec.JSON : Codec.MSGPACK);
    MethodModel endless = null;
    for (MethodModel m : ServiceModel.parse(Ticks.class).endpoints()) {
      if (m.name().equals("endless")) {
        endless = m;
      }
    }
    method = wire.methodCodec(endless);
    pending =
        new PendingCalls<MethodCodec>()
            .register(ID, method, "Ticks.endless", Deadline.after(Duration.ofMinutes(1)), 60_000);
    stream =
        new ClientStream(
            pending,
            items::add,
            reply -> new RpcException(StatusCode.valueOf(reply.error().code()), "failed"),
            grants::add);
  }

  private void receive(byte[] message) throws Exception {
    IncomingReply reply = wire.decodeReply(message, id -> method);
    assertThat(reply.id()).isEqualTo(ID);
    stream.onMessage(reply);
  }

  private byte[] item(int seq) throws Exception {
    return wire.encodeStreamItem(ID, seq, method, seq * 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "msgpack"})
  void itemsComeOutInOrderOnceAndTheEndAfterTheLast(String codec) throws Exception {
    open(codec);
    receive(wire.encodeKeepAlive(ID));
    receive(item(2));
    receive(item(0));
    assertThat(items).containsExactly(0);
    receive(wire.encodeStreamEnd(ID, 3));
    receive(item(0));
    assertThat(pending.future).as("item 1 is still missing").isNotDone();

    receive(item(1));

    assertThat(items).containsExactly(0, 10, 20);
    assertThat(pending.future).isCompletedWithValue(null);
    assertThat(stream.endedByServer()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "msgpack"})
  void theErrorEndsTheStreamAfterTheItemsBeforeIt(String codec) throws Exception {
    open(codec);
    receive(wire.encodeError(ID, 1, new ErrorBody("FAILED_PRECONDITION", "dry", null, null)));
    receive(item(0));

    assertThat(items).containsExactly(0);
    assertThat(pending.future).isCompletedExceptionally();
    try {
      pending.future.get();
    } catch (ExecutionException e) {
      assertThat(((RpcException) e.getCause()).code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "msgpack"})
  void aRefusalWithoutSequenceNumberEndsTheStreamAtOnce(String codec) throws Exception {
    open(codec);
    receive(wire.encodeError(ID, new ErrorBody("UNAVAILABLE", "gone", null, null)));

    assertThat(pending.future).isCompletedExceptionally();
    assertThat(items).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "msgpack"})
  void grantsLeaveOnlyWhileTheStreamRuns(String codec) throws Exception {
    open(codec);
    stream.grant(5);
    receive(wire.encodeStreamEnd(ID, 0));
    stream.grant(9);

    assertThat(grants).containsExactly(5L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "msgpack"})
  void aKeepAliveWhileItemsAreOwedSendsTheGrantAgain(String codec) throws Exception {
    open(codec);
    receive(item(0));
    stream.grant(3);
    receive(wire.encodeKeepAlive(ID));
    receive(item(1));
    receive(item(2));
    receive(wire.encodeKeepAlive(ID));

    assertThat(grants)
        .as("again while 2 items were owed, not once all came")
        .containsExactly(3L, 3L);
  }
}
