package io.redisrpc.codecs;

/** A message type of the user's own, as a Protobuf-generated class would be. */
public record Point(int x, int y) {}
