/** Auto-configuration of redisrpc's health. */
@NullMarked
package io.redisrpc.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
