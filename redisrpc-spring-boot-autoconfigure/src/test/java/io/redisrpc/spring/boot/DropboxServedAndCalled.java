package io.redisrpc.spring.boot;

import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An application that serves the Dropbox (at most 2 files) and calls it through its proxy. */
@Configuration(proxyBeanMethods = false)
@EnableRpcClients(clients = Dropbox.class)
public class DropboxServedAndCalled {
  @Bean
  @ServeRpc
  DropboxService dropboxService() {
    return new DropboxService(2);
  }
}
