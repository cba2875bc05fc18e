package io.redisrpc.examples.springboot.server;

import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.spring.boot.ServeRpc;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Serves the Dropbox: {@code java -cp ... DropboxServerApplication
 * --redisrpc.redis-url=redis://...} (or {@code spring.data.redis.host}/{@code port}). It keeps
 * running, serving, until stopped; on SIGTERM it stops taking calls, finishes those in flight and
 * withdraws.
 */
@SpringBootApplication
public class DropboxServerApplication {
  /** Starts serving. */
  public static void main(String[] args) {
    SpringApplication.run(DropboxServerApplication.class, args);
  }

  /** The Dropbox of this server instance: files in memory, {@code dropbox.max-files} at most. */
  @Bean
  @ServeRpc
  DropboxService dropboxService(@Value("${dropbox.max-files:2}") int maxFiles) {
    return new DropboxService(maxFiles);
  }
}
