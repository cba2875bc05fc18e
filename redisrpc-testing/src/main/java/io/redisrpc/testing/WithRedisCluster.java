package io.redisrpc.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated JUnit 5 test class one real {@link RedisCluster}, started by {@link
 * RedisClusterExtension} before its tests and stopped after them.
 *
 * <p>Declare a parameter of type {@link RedisCluster} in a test, {@code @BeforeAll}, {@code
 * BeforeEach}, ... method or the constructor to receive it. {@code @Nested} classes share the
 * cluster of their enclosing class.
 *
 * <pre>{@code
 * @WithRedisCluster(primaries = 3, replicas = 1)
 * class MyClusterTest {
 *     @Test
 *     void works(RedisCluster cluster) {
 *         connectTo(cluster.uri());
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RedisClusterExtension.class)
public @interface WithRedisCluster {
  /** How many primaries share the slots; 3 by default. */
  int primaries() default 3;

  /** How many replicas each primary has; 0 by default. */
  int replicas() default 0;
}
