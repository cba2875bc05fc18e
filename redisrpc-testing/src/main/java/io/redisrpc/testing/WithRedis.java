package io.redisrpc.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated JUnit 5 test class one real {@code redis-server}, started by {@link
 * RedisExtension} before its tests and stopped after them.
 *
 * <p>Declare a parameter of type {@link RedisProcess} in the test class's constructor or in any
 * test, {@code @BeforeAll}, {@code @BeforeEach}, {@code @AfterEach} or {@code @AfterAll} method to
 * receive it. {@code @Nested} classes share the server of their enclosing class.
 *
 * <pre>{@code
 * @WithRedis
 * class MyTest {
 *     @Test
 *     void works(RedisProcess redis) {
 *         connectTo(redis.uri());
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RedisExtension.class)
public @interface WithRedis {}
