package dev.ferry.profile;

import dev.ferry.map.TextRepair;

/**
 * One pass over a text value: its length in UTF-8 and whether it shows encoding damage. Reused
 * per worker, because every text value of the table goes through it.
 */
final class TextScan {
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
        // Lead bytes of multi-byte UTF-8 sequences, read as Latin-1 (Ã, Â, â, …).
        mojibakeCandidate |= c >= 0xC2 && c <= 0xF4;
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
}
