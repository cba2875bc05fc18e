package io.redisrpc.spring.boot.readme;

// README:begin
import static java.nio.charset.StandardCharsets.UTF_8;

import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.DropboxService;
import io.redisrpc.examples.dropbox.FileData;
import io.redisrpc.spring.boot.EnableRpcClients;
import io.redisrpc.spring.boot.ServeRpc;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@EnableRpcClients(clients = Dropbox.class) // a Dropbox bean: the proxy, calls go through Redis
public class DropboxApplication {
  public static void main(String[] args) {
    SpringApplication.run(DropboxApplication.class, args);
  }

  @Bean
  @ServeRpc // served once the context is refreshed, drained when it closes
  DropboxService dropboxService() {
    return new DropboxService(2);
  }

  @Bean
  ApplicationRunner upload(Dropbox dropbox) {
    return args -> {
      int size = dropbox.uploadFile(new FileData("file1", "1234".getBytes(UTF_8)));
      System.out.println("uploaded " + size + " bytes; files: " + dropbox.getFileNames());
    };
  }
}
// README:end
