package io.redisrpc.topology;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every test of the extending class once on each {@link Topology}: once on one Redis node,
 * once on a Redis Cluster of three primaries. Each run gets a fresh Redis, started before the
 * class's own {@code @BeforeParameterizedClassInvocation} methods and stopped after its
 * {@code @AfterParameterizedClassInvocation} ones, so nothing is left over from the other topology.
 *
 * <p>Surefire reports the runs as {@code SomeTest[1]} ({@link Topology#NODE}) and {@code
 * SomeTest[2]} ({@link Topology#CLUSTER}). A test that cannot mean anything on one topology says so
 * with an assumption on {@link #topology} that names why.
 *
 * <p>Suites run one after the other (JUnit's default): the running Redis is kept in a static field
 * for the class's static lifecycle methods to reach as well as its tests.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Topology.class)
public abstract class OnEveryTopology {
  private static @Nullable Deployment redis;

  /** The topology of this run, injected by JUnit. */
  @Parameter protected Topology topology;

  @BeforeParameterizedClassInvocation
  static void startRedis(Topology topology) {
    redis = Deployment.start(topology);
  }

  @AfterParameterizedClassInvocation
  static void stopRedis() {
    Deployment running = redis;
    redis = null;
    if (running != null) {
      running.close();
    }
  }

  /** The Redis of this run. */
  protected static Deployment redis() {
    Deployment running = redis;
    if (running == null) {
      throw new IllegalStateException("no Redis runs outside a run of an OnEveryTopology suite");
    }
    return running;
  }

  /** The URI of the Redis of this run, to connect clients and servers to. */
  protected static String uri() {
    return redis().uri();
  }
}
