package io.redisrpc.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.redisrpc.RpcServer;
import java.util.Objects;

/**
 * Meters of one {@link RpcServer}, read from it when the registry asks (nothing is counted twice):
 *
 * <ul>
 *   <li>{@code redisrpc.server.calls.in.flight} (gauge): calls taken and not yet answered, {@link
 *       RpcServer#inFlight()};
 *   <li>{@code redisrpc.server.rejected.messages} (counter): messages refused, malformed,
 *       oversized, with a bad signature or a reply address outside the service, {@link
 *       RpcServer#rejectedMessages()}.
 * </ul>
 *
 * <p>Both are tagged {@code rpc.service}. The gauges hold the server weakly, as Micrometer's
 * binders do.
 *
 * <pre>{@code
 * RpcServerMetrics.create(server).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>A registry keeps one meter per name and tags: to meter several servers of one service in one
 * process, give each its own tag with {@link #create(RpcServer, Iterable)}.
 */
public final class RpcServerMetrics implements MeterBinder {
  private final RpcServer server;
  private final Tags tags;

  private RpcServerMetrics(RpcServer server, Tags tags) {
    this.server = server;
    this.tags = tags;
  }

  /** The meters of {@code server}. */
  public static RpcServerMetrics create(RpcServer server) {
    return create(server, Tags.empty());
  }

  /** The meters of {@code server}, with {@code tags} besides {@code rpc.service}. */
  public static RpcServerMetrics create(RpcServer server, Iterable<Tag> tags) {
    Objects.requireNonNull(server, "server == null");
    Objects.requireNonNull(tags, "tags == null");
    return new RpcServerMetrics(
        server,
        Tags.of(tags)
            .and(
                RpcObservationDocumentation.LowCardinalityKeyNames.RPC_SERVICE.asString(),
                server.serviceName()));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("redisrpc.server.calls.in.flight", server, RpcServer::inFlight)
        .description("Calls taken by this server and not yet answered")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder(
            "redisrpc.server.rejected.messages", server, s -> (double) s.rejectedMessages())
        .description("Messages this server refused: malformed, oversized or badly signed")
        .baseUnit("messages")
        .tags(tags)
        .register(registry);
  }
}
