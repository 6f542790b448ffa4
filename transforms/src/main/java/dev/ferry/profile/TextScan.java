package dev.ferry.profile;

import dev.ferry.map.TextRepair;

/**
 * One pass over a text value: its length in UTF-8 and in characters, its hash for the
 * distinct-count sketch ({@link ValueHash#text}) and whether it shows encoding damage. The text is
 * copied slice by slice into a reused buffer and scanned there, four characters at a time while
 * they are ASCII; one instance per worker, because every text value of the table goes through it.
 */
final class TextScan {
  private static final int SLICE = 8192;
  /** Bits that are zero in four packed UTF-16 units when all of them are ASCII. */
  private static final long NON_ASCII = 0xFF80FF80FF80FF80L;
  /** Windows-1252's characters for the bytes 0x80 to 0x9F, UTF-8 continuation bytes all. */
  private static final String CP1252_HIGH = "\u20AC\u201A\u0192\u201E\u2026\u2020\u2021"
      + "\u02C6\u2030\u0160\u2039\u0152\u017D\u2018\u2019\u201C\u201D\u2022\u2013\u2014"
      + "\u02DC\u2122\u0161\u203A\u0153\u017E\u0178";

  private final char[] slice = new char[SLICE];

  long utf8Bytes;
  /** Unicode code points, which is what {@code VARCHAR(n)} limits. */
  long codePoints;
  long hash;
  /** The finding the text shows, or null when it looks clean. */
  FindingKind damage;

  // Scan state, carried from one character (and slice) to the next.
  private long bytes;
  private long pairs;
  private boolean invalid;
  private boolean mojibakeCandidate;
  private boolean afterLead;
  private boolean afterHigh;

  void scan(String s) {
    int n = s.length();
    long h = ValueHash.textStart(n);
    bytes = 0;
    pairs = 0;
    invalid = false;
    mojibakeCandidate = false;
    afterLead = false;
    afterHigh = false;
    for (int start = 0; start < n; start += SLICE) {
      int count = Math.min(SLICE, n - start);
      s.getChars(start, start + count, slice, 0);
      h = ValueHash.textWords(h, slice, count);
      scanSlice(count);
    }
    if (afterHigh) {
      bytes += 3;
    }
    utf8Bytes = bytes;
    codePoints = n - pairs;
    hash = ValueHash.textEnd(h);
    // Mojibake is a UTF-8 lead byte read as Latin-1 (Ã, Â, â, …) followed by a continuation
    // byte read the same way; plain accented text ("José") never has that shape, so the costly
    // repair test runs only on suspects.
    if (mojibakeCandidate && TextRepair.looksDamaged(s)) {
      damage = FindingKind.MOJIBAKE;
    } else {
      damage = invalid ? FindingKind.INVALID_ENCODING : null;
    }
  }

  private void scanSlice(int count) {
    char[] b = slice;
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      long word = b[i] | (long) b[i + 1] << 16 | (long) b[i + 2] << 32 | (long) b[i + 3] << 48;
      if ((word & NON_ASCII) == 0 && !afterHigh) {
        bytes += 4;
        afterLead = false;
      } else {
        for (int j = i; j < i + 4; j++) {
          scanChar(b[j]);
        }
      }
    }
    for (; i < count; i++) {
      scanChar(b[i]);
    }
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
