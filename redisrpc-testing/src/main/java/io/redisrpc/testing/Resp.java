package io.redisrpc.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A tiny RESP2 client for the fixtures and their tests: sends commands as arrays of bulk strings
 * and reads one reply. Simple strings come back as their text, errors as their text with the
 * leading {@code -}, integers as decimal text, bulk strings as their content, nil as {@code null},
 * and arrays (from {@link #reply}) as lists of those.
 */
final class Resp implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  static Resp connect(int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(10_000);
      return new Resp(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Opens a connection, runs one command and closes the connection. */
  static @Nullable String call(int port, String... command) throws IOException {
    try (Resp resp = connect(port)) {
      return resp.command(command);
    }
  }

  /** Runs {@code command}; its reply must not be an array. */
  @Nullable String command(String... command) throws IOException {
    Object reply = reply(command);
    if (reply instanceof java.util.List) {
      throw new IOException(String.join(" ", command) + " answered an array");
    }
    return (String) reply;
  }

  /** Runs {@code command}; an array reply is a {@code List} of replies. */
  @Nullable Object reply(String... command) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    write(request, "*" + command.length + "\r\n");
    for (String part : command) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      write(request, "$" + bytes.length + "\r\n");
      request.write(bytes);
      write(request, "\r\n");
    }
    out.write(request.toByteArray());
    out.flush();
    return readReply();
  }

  private @Nullable Object readReply() throws IOException {
    int type = in.read();
    if (type == -1) {
      throw new EOFException("connection closed");
    }
    String line = readLine();
    switch (type) {
      case '+':
      case ':':
        return line;
      case '-':
        return "-" + line;
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] data = in.readNBytes(length);
          readLine();
          return new String(data, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          if (count < 0) {
            return null;
          }
          java.util.List<@Nullable Object> items = new java.util.ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            items.add(readReply());
          }
          return items;
        }
      default:
        throw new IOException("unsupported RESP reply type '" + (char) type + "'");
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c == -1) {
        throw new EOFException("connection closed");
      }
      line.write(c);
    }
    if (in.read() != '\n') {
      throw new IOException("malformed RESP line");
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
