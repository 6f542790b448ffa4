package dev.ferry.profile;

import dev.ferry.map.TextRepair;

/**
 * One pass over a text value: its length in UTF-8 and whether it shows encoding damage. Reused
 * per worker, because every text value of the table goes through it.
 */
final class TextScan {
  /** Windows-1252's characters for the bytes 0x80 to 0x9F, UTF-8 continuation bytes all. */
  private static final String CP1252_HIGH = "\u20AC\u201A\u0192\u201E\u2026\u2020\u2021"
      + "\u02C6\u2030\u0160\u2039\u0152\u017D\u2018\u2019\u201C\u201D\u2022\u2013\u2014"
      + "\u02DC\u2122\u0161\u203A\u0153\u017E\u0178";

  long utf8Bytes;
  /** The finding the text shows, or null when it looks clean. */
  FindingKind damage;

  void scan(String s) {
    long bytes = 0;
    boolean invalid = false;
    boolean mojibakeCandidate = false;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
        continue;
      }
      if (c < 0x800) {
        bytes += 2;
        // C1 controls are never typed: they are Windows-1252 bytes decoded as Latin-1.
        invalid |= c <= 0x9F;
        // A UTF-8 lead byte read as Latin-1 (Ã, Â, â, …) followed by a continuation byte read
        // the same way: the only shape mojibake has. Plain accented text ("José") never has it,
        // so the costly repair test below runs only on suspects.
        mojibakeCandidate |= c >= 0xC2 && c <= 0xF4 && i + 1 < n && isContinuation(s.charAt(i + 1));
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
        // U+FFFD: the driver met bytes that were not valid in the column's character set.
        invalid |= c == '\uFFFD';
      }
    }
    utf8Bytes = bytes;
    if (mojibakeCandidate && TextRepair.looksDamaged(s)) {
      damage = FindingKind.MOJIBAKE;
    } else {
      damage = invalid ? FindingKind.INVALID_ENCODING : null;
    }
  }

  /** A UTF-8 continuation byte (0x80 to 0xBF) as Latin-1 or Windows-1252 shows it. */
  private static boolean isContinuation(char c) {
    return c >= 0x80 && c <= 0xBF || c > 0xFF && CP1252_HIGH.indexOf(c) >= 0;
  }
}
