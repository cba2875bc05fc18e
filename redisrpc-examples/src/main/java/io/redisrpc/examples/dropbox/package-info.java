/**
 * The Dropbox example of aioredis-rpc's README in Java: the {@link
 * io.redisrpc.examples.dropbox.Dropbox} service interface, its implementation {@link
 * io.redisrpc.examples.dropbox.DropboxService}, and {@link
 * io.redisrpc.examples.dropbox.DropboxDemo}, which runs a server and a client of it against a Redis
 * and prints the session.
 */
package io.redisrpc.examples.dropbox;
