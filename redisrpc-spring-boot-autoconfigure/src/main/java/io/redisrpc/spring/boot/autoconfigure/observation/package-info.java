/** Auto-configuration of redisrpc's observation. */
@NullMarked
package io.redisrpc.spring.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
