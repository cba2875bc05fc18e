package io.redisrpc.internal.codec;

import org.jspecify.annotations.Nullable;

/**
 * The error of a failed call as it travels: status code name, message, the remote exception's class
 * name, and the declared exception type of the endpoint it is an instance of.
 */
public record ErrorBody(
    String code, String message, @Nullable String type, @Nullable String declared) {}
