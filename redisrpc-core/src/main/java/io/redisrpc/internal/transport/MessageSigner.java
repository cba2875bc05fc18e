package io.redisrpc.internal.transport;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HMAC-SHA256 with a secret shared by the clients and servers of a service, so that messages
 * written into Redis by anyone else are recognised and refused.
 *
 * <p>A signature covers where its message belongs as well as the message: a request's covers the
 * stream it was appended to (so the service), a published message's the channel it was published on
 * (so the client it answers). A signed message moved anywhere else no longer verifies. What the
 * message says about itself (call id, reply channel, method, time sent) is inside the signed bytes.
 */
public final class MessageSigner {
  /** The length of a signature in bytes. */
  public static final int LENGTH = 32;

  private static final byte[] REQUEST = "redisrpc/2 request\0".getBytes(StandardCharsets.UTF_8);
  private static final byte[] MESSAGE = "redisrpc/2 message\0".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SEPARATOR = {0};

  private final SecretKeySpec key;

  /**
   * A Mac per thread, initialised once: they are not thread-safe, and looking one up and keying it
   * for every message cost more than the HMAC of a small message.
   */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  /** A signer with {@code secret}, which must be at least 16 bytes. */
  public MessageSigner(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the shared secret must be at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /**
   * The signature of a request appended to {@code stream} with fields {@code codec} and payload.
   */
  public byte[] signRequest(String stream, byte[] codec, byte[] payload) {
    return sign(REQUEST, bytes(stream), SEPARATOR, codec, SEPARATOR, payload);
  }

  /** Whether {@code signature} is that of the request, compared in constant time. */
  public boolean verifyRequest(byte[] signature, String stream, byte[] codec, byte[] payload) {
    return signature.length == LENGTH
        && MessageDigest.isEqual(signature, signRequest(stream, codec, payload));
  }

  private byte[] signMessage(String channel, byte[] message, int offset) {
    Mac mac = mac();
    mac.update(MESSAGE);
    mac.update(bytes(channel));
    mac.update(SEPARATOR);
    mac.update(message, offset, message.length - offset);
    return mac.doFinal();
  }

  /**
   * The message inside {@code framed} (a signature followed by the message) when the signature is
   * right for {@code channel}, else null; {@code framed} itself when there is no signer.
   */
  public static byte @Nullable [] unframe(
      @Nullable MessageSigner signer, String channel, byte[] framed) {
    if (signer == null) {
      return framed;
    }
    if (framed.length < LENGTH) {
      return null;
    }
    byte[] expected = signer.signMessage(channel, framed, LENGTH);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(framed, 0, LENGTH))) {
      return null;
    }
    return Arrays.copyOfRange(framed, LENGTH, framed.length);
  }

  /**
   * {@code message}, to be published on {@code channel}, preceded by its signature; {@code message}
   * itself when there is no signer.
   */
  public static byte[] frame(@Nullable MessageSigner signer, String channel, byte[] message) {
    if (signer == null) {
      return message;
    }
    byte[] framed = new byte[LENGTH + message.length];
    System.arraycopy(signer.signMessage(channel, message, 0), 0, framed, 0, LENGTH);
    System.arraycopy(message, 0, framed, LENGTH, message.length);
    return framed;
  }

  private byte[] sign(byte[]... parts) {
    Mac mac = mac();
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  private Mac mac() {
    Mac mac = macs.get();
    // doFinal leaves it ready for the next message; a signing cut short by an error would not.
    mac.reset();
    return mac;
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
