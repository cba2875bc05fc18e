package io.redisrpc.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated JUnit 5 test class one real {@link RedisSentinel} set (a primary, a replica,
 * three sentinels), started by {@link RedisSentinelExtension} before its tests and stopped after
 * them. Declare a parameter of type {@link RedisSentinel} to receive it.
 *
 * <pre>{@code
 * @WithRedisSentinel
 * class MyFailoverTest {
 *     @Test
 *     void survivesAFailover(RedisSentinel sentinel) {
 *         connectTo(sentinel.uri());
 *         sentinel.killPrimary();
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RedisSentinelExtension.class)
public @interface WithRedisSentinel {}
