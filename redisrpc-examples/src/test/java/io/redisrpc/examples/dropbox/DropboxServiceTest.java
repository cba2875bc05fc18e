package io.redisrpc.examples.dropbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The service and its model without Redis. */
class DropboxServiceTest {

  @Test
  void fileDataComparesContent() {
    byte[] bytes = {1, 2, 3};
    FileData a = new FileData("a", bytes);
    bytes[0] = 9; // copied on the way in
    FileData same = new FileData("a", new byte[] {1, 2, 3});

    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a).isNotEqualTo(new FileData("a", new byte[] {1, 2, 4}));
    assertThat(a).isNotEqualTo(new FileData("b", new byte[] {1, 2, 3}));
    assertThat(a.toString()).isEqualTo("FileData[name=a, data=[1, 2, 3]]");
    assertThat(a.size()).isEqualTo(3);

    a.data()[0] = 9; // copied on the way out
    assertThat(a).isEqualTo(same);
  }

  @Test
  void enforcesTheLimitAndReportsMissingFiles() throws Exception {
    DropboxService service = new DropboxService(2);
    service.uploadFile(new FileData("b", new byte[1]));
    service.uploadFile(new FileData("a", new byte[2]));

    assertThat(service.getFileNames()).containsExactly("a", "b");
    assertThatThrownBy(() -> service.uploadFile(new FileData("c", new byte[0])))
        .isInstanceOf(TooManyFilesException.class)
        .hasMessage("too many files");
    assertThat(service.uploadFile(new FileData("a", new byte[5]))).isEqualTo(5);
    assertThatThrownBy(() -> service.downloadFile("x"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no file named x");
    assertThat(service.countFiles()).isCompletedWithValue(2);
  }

  @Test
  void concurrentUploadsNeverExceedTheLimit() throws Exception {
    int limit = 10;
    int uploads = 200;
    DropboxService service = new DropboxService(limit);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < uploads; i++) {
        FileData file = new FileData("f" + i, new byte[] {(byte) i});
        Callable<Boolean> upload =
            () -> {
              start.await();
              try {
                service.uploadFile(file);
                return true;
              } catch (TooManyFilesException e) {
                return false;
              }
            };
        results.add(pool.submit(upload));
      }
      start.countDown();
      int stored = 0;
      for (Future<Boolean> result : results) {
        if (result.get(30, TimeUnit.SECONDS)) {
          stored++;
        }
      }
      assertThat(stored).isEqualTo(limit);
      assertThat(service.getFileNames()).hasSize(limit);
    } finally {
      pool.shutdownNow();
    }
  }
}
