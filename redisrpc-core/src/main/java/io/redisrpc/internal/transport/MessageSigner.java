package io.redisrpc.internal.transport;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HMAC-SHA256 with a secret shared by the clients and servers of a service, so that messages
 * written into Redis by anyone else are recognised and refused.
 */
public final class MessageSigner {
  /** The length of a signature in bytes. */
  public static final int LENGTH = 32;

  private final SecretKeySpec key;

  /** A signer with {@code secret}, which must be at least 16 bytes. */
  public MessageSigner(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the shared secret must be at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /** The signature of the concatenation of {@code parts}. */
  public byte[] sign(byte[]... parts) {
    Mac mac = mac();
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  /** Whether {@code signature} is the signature of {@code parts}, compared in constant time. */
  public boolean verify(byte[] signature, byte[]... parts) {
    return signature.length == LENGTH && MessageDigest.isEqual(signature, sign(parts));
  }

  /**
   * The message inside {@code framed} (a signature followed by the message) when the signature is
   * right, else null; {@code framed} itself when there is no signer.
   */
  public static byte @Nullable [] unframe(@Nullable MessageSigner signer, byte[] framed) {
    if (signer == null) {
      return framed;
    }
    if (framed.length < LENGTH) {
      return null;
    }
    byte[] signature = java.util.Arrays.copyOfRange(framed, 0, LENGTH);
    byte[] message = java.util.Arrays.copyOfRange(framed, LENGTH, framed.length);
    return signer.verify(signature, message) ? message : null;
  }

  /** {@code message} preceded by its signature; {@code message} itself when there is no signer. */
  public static byte[] frame(@Nullable MessageSigner signer, byte[] message) {
    if (signer == null) {
      return message;
    }
    byte[] framed = new byte[LENGTH + message.length];
    System.arraycopy(signer.sign(message), 0, framed, 0, LENGTH);
    System.arraycopy(message, 0, framed, LENGTH, message.length);
    return framed;
  }

  private Mac mac() {
    try {
      // A Mac per use: they are not thread-safe, and initialising one is cheap next to a call.
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }
}
