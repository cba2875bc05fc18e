package io.redisrpc.examples.springboot.client;

import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.spring.boot.EnableRpcClients;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Calls the Dropbox that {@code DropboxServerApplication} serves, through the {@link Dropbox} proxy
 * bean: {@link DropboxSession} runs the session of {@code ./redisrpc demo}, then the application
 * exits.
 */
@SpringBootApplication
@EnableRpcClients(clients = Dropbox.class)
public class DropboxClientApplication {
  /** Runs the session and exits with its status. */
  public static void main(String[] args) {
    System.exit(
        SpringApplication.exit(SpringApplication.run(DropboxClientApplication.class, args)));
  }
}
