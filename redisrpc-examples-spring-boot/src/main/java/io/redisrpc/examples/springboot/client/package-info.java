/** The Spring Boot application calling the Dropbox. */
package io.redisrpc.examples.springboot.client;
