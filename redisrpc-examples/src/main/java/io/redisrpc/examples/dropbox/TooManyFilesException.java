package io.redisrpc.examples.dropbox;

/**
 * Thrown by {@link Dropbox#uploadFile(FileData)} when the Dropbox holds its maximum number of
 * files. As {@code uploadFile} declares it, a client receives this type rather than a generic
 * {@link io.redisrpc.RemoteException}; the remote error is then its cause.
 */
public class TooManyFilesException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The message of the exception the service throws. */
  public static final String MESSAGE = "too many files";

  /** An exception with the message {@value #MESSAGE}. */
  public TooManyFilesException() {
    this(MESSAGE);
  }

  /** An exception with {@code message}. */
  public TooManyFilesException(String message) {
    super(message);
  }

  /** An exception with {@code message} and the {@code cause} behind it. */
  public TooManyFilesException(String message, Throwable cause) {
    super(message, cause);
  }
}
