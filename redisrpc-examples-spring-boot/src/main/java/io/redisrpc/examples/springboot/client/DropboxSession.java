package io.redisrpc.examples.springboot.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.redisrpc.RemoteException;
import io.redisrpc.examples.dropbox.Dropbox;
import io.redisrpc.examples.dropbox.FileData;
import io.redisrpc.examples.dropbox.TooManyFilesException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** The calls of {@code ./redisrpc demo}, made through the injected {@link Dropbox} proxy. */
@Component
public class DropboxSession implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(DropboxSession.class);

  private final Dropbox dropbox;
  private final List<String> transcript = new CopyOnWriteArrayList<>();

  /** A session calling {@code dropbox}: the proxy, whose calls go through Redis. */
  public DropboxSession(Dropbox dropbox) {
    this.dropbox = dropbox;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    say("uploadFile(file1) -> " + dropbox.uploadFile(file("file1", "1234")));
    say("uploadFile(file2) -> " + dropbox.uploadFile(file("file2", "hello")));
    say("getFileNames() -> " + dropbox.getFileNames());
    FileData file1 = dropbox.downloadFile("file1");
    say("downloadFile(file1) -> " + new String(file1.data(), UTF_8));
    say("countFiles() -> " + dropbox.countFiles().get(10, TimeUnit.SECONDS));
    try {
      dropbox.uploadFile(file("file3", "!"));
    } catch (TooManyFilesException e) {
      say("uploadFile(file3) ! TooManyFilesException: " + e.getMessage());
    }
    try {
      dropbox.downloadFile("missing");
    } catch (RemoteException e) {
      say("downloadFile(missing) ! " + e.code() + ": " + e.remoteMessage());
    }
  }

  /** What the session did, one line per call. */
  public List<String> transcript() {
    return List.copyOf(transcript);
  }

  private void say(String line) {
    transcript.add(line);
    log.info(line);
  }

  private static FileData file(String name, String content) {
    return new FileData(name, content.getBytes(UTF_8));
  }
}
