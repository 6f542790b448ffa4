package dev.ferry.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two hashes of a digest. Rows are hashed with MD5 because both PostgreSQL and MySQL compute
 * it in SQL, so a checksum can be pushed down into either database and still equal the one the
 * pipeline computes; collision resistance against an adversary is not the goal, a wide spread
 * is. A row's hash is read as two 56-bit lanes (112 of MD5's 128 bits): 56 bits are two 28-bit
 * pieces, which SQL can sum as plain integers, far faster than 64-bit sums that overflow into
 * decimals. Single columns get a 32-bit MurmurHash3, only to name the columns that differ.
 */
public final class Hashes {
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no MD5", e);
    }
  });

  private Hashes() {}

  /** MD5 of the UTF-8 bytes of {@code text}. */
  public static byte[] md5(String text) {
    return MD5.get().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lane 1 or 2 of a row hash: bits [0, 56) or [56, 112) of the MD5, unsigned. */
  public static long lane(byte[] hash, int lane) {
    int from = lane == 1 ? 0 : 7;
    long v = 0;
    for (int i = from; i < from + 7; i++) {
      v = (v << 8) | (hash[i] & 0xFF);
    }
    return v;
  }

  /** Bytes {@code [from, from + 8)} as a big-endian long. */
  public static long long64(byte[] hash, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (hash[i] & 0xFF);
    }
    return v;
  }

  /** Length of {@code s} in UTF-8 bytes, as SQL's octet_length counts it. */
  public static int utf8Length(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      int bytes = utf8Bytes(s, i);
      n += bytes;
      i += bytes == 4 ? 2 : 1;
    }
    return n;
  }

  /** The char index in {@code s} reached after {@code bytes} UTF-8 bytes from {@code from}. */
  static int advanceUtf8(String s, int from, int bytes) {
    int i = from;
    int n = 0;
    while (n < bytes) {
      int b = utf8Bytes(s, i);
      n += b;
      i += b == 4 ? 2 : 1;
    }
    return i;
  }

  /** UTF-8 bytes of the char at {@code i}: 4 for a surrogate pair (two chars), else 1 to 3. */
  private static int utf8Bytes(CharSequence s, int i) {
    char c = s.charAt(i);
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800) {
      return 2;
    }
    return Character.isHighSurrogate(c) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1)) ? 4 : 3;
  }

  /** MurmurHash3 (x86, 32-bit) over the UTF-16 code units of {@code s[from, to)}. */
  public static int murmur32(CharSequence s, int from, int to) {
    int h = 0x9747b28c;
    int i = from;
    for (; i + 1 < to; i += 2) {
      h = mixH(h, mixK(s.charAt(i) | (s.charAt(i + 1) << 16)));
    }
    if (i < to) {
      h ^= mixK(s.charAt(i));
    }
    h ^= (to - from) * 2;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int mixK(int k) {
    k *= 0xcc9e2d51;
    k = Integer.rotateLeft(k, 15);
    return k * 0x1b873593;
  }

  private static int mixH(int h, int k) {
    h ^= k;
    h = Integer.rotateLeft(h, 13);
    return h * 5 + 0xe6546b64;
  }
}
