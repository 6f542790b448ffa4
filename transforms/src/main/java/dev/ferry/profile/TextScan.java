package dev.ferry.profile;

import dev.ferry.map.TextRepair;

/**
 * One pass over a text value: its length in UTF-8 and in characters, its 64-bit hash for the
 * distinct-count sketch and whether it shows encoding damage. The text is copied slice by slice
 * into a reused buffer and read there four characters (one 64-bit word) at a time: the words feed
 * two independent hash lanes, so the multiplies of neighbouring words overlap, and a word of four
 * ASCII characters is counted without looking at each. One instance per worker, because every
 * text value of the table goes through it.
 */
final class TextScan {
  private static final int SLICE = 8192;
  /** Bits that are zero in four packed UTF-16 units when all of them are ASCII. */
  private static final long NON_ASCII = 0xFF80FF80FF80FF80L;
  /** Windows-1252's characters for the bytes 0x80 to 0x9F, UTF-8 continuation bytes all. */
  private static final String CP1252_HIGH = "\u20AC\u201A\u0192\u201E\u2026\u2020\u2021"
      + "\u02C6\u2030\u0160\u2039\u0152\u017D\u2018\u2019\u201C\u201D\u2022\u2013\u2014"
      + "\u02DC\u2122\u0161\u203A\u0153\u017E\u0178";

  private char[] slice = new char[256];

  long utf8Bytes;
  /** Unicode code points, which is what {@code VARCHAR(n)} limits. */
  long codePoints;
  long hash;
  /** The finding the text shows, or null when it looks clean. */
  FindingKind damage;

  // Scan state, carried from one character (and slice) to the next.
  private long even;
  private long odd;
  private long bytes;
  private long pairs;
  private boolean invalid;
  private boolean mojibakeCandidate;
  private boolean afterLead;
  private boolean afterHigh;

  /** The hash {@link #scan} gives a text. */
  static long hash(String s) {
    TextScan scan = new TextScan();
    scan.scan(s);
    return scan.hash;
  }

  void scan(String s) {
    int n = s.length();
    if (slice.length < Math.min(n, SLICE)) {
      slice = new char[Math.min(Math.max(n, 2 * slice.length), SLICE)];
    }
    even = ValueHash.seed(n);
    odd = ~even;
    bytes = 0;
    pairs = 0;
    invalid = false;
    mojibakeCandidate = false;
    afterLead = false;
    afterHigh = false;
    for (int start = 0; start < n; start += SLICE) {
      int count = Math.min(SLICE, n - start);
      s.getChars(start, start + count, slice, 0);
      scanSlice(count);
    }
    if (afterHigh) {
      bytes += 3;
    }
    utf8Bytes = bytes;
    codePoints = n - pairs;
    hash = ValueHash.join(even, odd);
    // Mojibake is a UTF-8 lead byte read as Latin-1 (Ã, Â, â, …) followed by a continuation
    // byte read the same way; plain accented text ("José") never has that shape, so the costly
    // repair test runs only on suspects.
    if (mojibakeCandidate && TextRepair.looksDamaged(s)) {
      damage = FindingKind.MOJIBAKE;
    } else {
      damage = invalid ? FindingKind.INVALID_ENCODING : null;
    }
  }

  /**
   * Slices start at multiples of 8 characters, so every word keeps its lane. The hash lanes and
   * the byte count live in locals here: as fields, each word would wait for the previous one's
   * store.
   */
  private void scanSlice(int count) {
    char[] b = slice;
    long h0 = even;
    long h1 = odd;
    long ascii = 0;
    int i = 0;
    for (; i + 8 <= count; i += 8) {
      long w0 = word(b, i);
      long w1 = word(b, i + 4);
      h0 = ValueHash.step(h0, w0);
      h1 = ValueHash.step(h1, w1);
      if (((w0 | w1) & NON_ASCII) == 0 && !afterHigh) {
        ascii += 8;
        afterLead = false;
      } else {
        for (int j = i; j < i + 8; j++) {
          scanChar(b[j]);
        }
      }
    }
    if (i < count) {
      // The text's last 1 to 7 characters, zero-padded (the length, in the seed, tells apart).
      long w0 = 0;
      long w1 = 0;
      for (int j = i, shift = 0; j < count; j++, shift += 16) {
        if (shift < 64) {
          w0 |= (long) b[j] << shift;
        } else {
          w1 |= (long) b[j] << (shift - 64);
        }
        scanChar(b[j]);
      }
      h0 = ValueHash.step(h0, w0);
      h1 = ValueHash.step(h1, w1);
    }
    even = h0;
    odd = h1;
    bytes += ascii;
  }

  private static long word(char[] b, int i) {
    return b[i] | (long) b[i + 1] << 16 | (long) b[i + 2] << 32 | (long) b[i + 3] << 48;
  }

  private void scanChar(char c) {
    if (afterHigh) {
      afterHigh = false;
      if (Character.isLowSurrogate(c)) {
        bytes += 4;
        pairs++;
        return;
      }
      bytes += 3; // a broken surrogate, as the driver would encode it
    }
    if (c < 0x80) {
      bytes++;
      afterLead = false;
    } else if (c < 0x800) {
      bytes += 2;
      // C1 controls are never typed: they are Windows-1252 bytes decoded as Latin-1.
      invalid |= c <= 0x9F;
      mojibakeCandidate |= afterLead && isContinuation(c);
      afterLead = c >= 0xC2 && c <= 0xF4;
    } else if (Character.isHighSurrogate(c)) {
      afterHigh = true;
      afterLead = false;
    } else {
      bytes += 3;
      // U+FFFD: the driver met bytes that were not valid in the column's character set.
      invalid |= c == '\uFFFD';
      mojibakeCandidate |= afterLead && isContinuation(c);
      afterLead = false;
    }
  }

  /** A UTF-8 continuation byte (0x80 to 0xBF) as Latin-1 or Windows-1252 shows it. */
  private static boolean isContinuation(char c) {
    return c >= 0x80 && c <= 0xBF || c > 0xFF && CP1252_HIGH.indexOf(c) >= 0;
  }
}
