/** The Spring Boot application serving the Dropbox. */
package io.redisrpc.examples.springboot.server;
