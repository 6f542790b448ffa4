package dev.ferry.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfileSketchesTest {
  @Test
  void distinctCountStaysWithinTwoPercentFromTenToAMillion() {
    for (int n : new int[] {10, 1_000, 20_000, 60_000, 1_000_000}) {
      HyperLogLog a = new HyperLogLog();
      HyperLogLog b = new HyperLogLog();
      for (long i = 0; i < n; i++) {
        // every value twice, split over two sketches as two workers would see them
        (i % 2 == 0 ? a : b).add(ValueHash.of(i));
        (i % 3 == 0 ? a : b).add(ValueHash.of(i));
      }
      a.merge(b);
      double error = Math.abs(a.estimate() - n) / (double) n;
      assertTrue(error < 0.02, n + " distinct estimated as " + a.estimate());
    }
    assertEquals(0, new HyperLogLog().estimate());
  }

  @Test
  void p99LengthIsExactForShortValuesAndWithinOnePercentForLongOnes() {
    LengthHistogram h = new LengthHistogram();
    for (int i = 1; i <= 1000; i++) {
      h.add(i % 100);
    }
    assertEquals(98, h.percentile(0.99));
    assertEquals(99, h.percentile(1.0));
    LengthHistogram big = new LengthHistogram();
    Random random = new Random(7);
    List<Long> lengths = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      long len = 1000 + random.nextInt(5_000_000);
      lengths.add(len);
      big.add(len);
    }
    lengths.sort(null);
    long exact = lengths.get((int) Math.ceil(0.99 * lengths.size()) - 1);
    long estimate = big.percentile(0.99);
    assertTrue(estimate <= exact && estimate >= exact * 0.99, exact + " vs " + estimate);
  }

  @Test
  void duplicateRunsAreStitchedAcrossChunkEdges() {
    // keys of one range in order, cut into chunks of 3: [1 2 2] [2 2 2] [2 3 4] [4 5 6] [6 6 7]
    long[] keys = {1, 2, 2, 2, 2, 2, 2, 3, 4, 4, 5, 6, 6, 6, 7};
    List<KeyRuns> chunks = new ArrayList<>();
    for (int c = 0; c < keys.length / 3; c++) {
      KeyRuns.Builder b = new KeyRuns.Builder(2, new int[] {1}, k -> "k" + k[0]);
      for (int i = 0; i < 3; i++) {
        b.add(new Object[] {"row " + (c * 3 + i), keys[c * 3 + i]});
      }
      chunks.add(0, b.build(c + 1));
    }
    Finding f = KeyRuns.stitch(chunks, 2, k -> "k" + k[0]).toFinding(FindingKind.DUPLICATE_KEY,
        null);
    assertEquals(3, f.count);
    assertEquals(6 + 2 + 3, f.rows);
    assertEquals("[k2 (6 rows), k4 (2 rows)]", f.examples.toString());
  }

  @Test
  void textScanMeasuresAndHashesTextOfAnyLength() {
    TextScan scan = new TextScan();
    StringBuilder long1 = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      long1.append("ab😀é東");
    }
    // Slices are 8192 characters: a pair split at a slice edge, texts of every length modulo 8.
    for (String s : List.of("", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg",
        "abcdefgh", "abcdefghi", "é", "😀", "x😀", "a\u0093", long1.toString(),
        long1.substring(1), "x".repeat(8191) + "😀", "x".repeat(8191) + "Ã©")) {
      scan.scan(s);
      assertEquals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, scan.utf8Bytes, s);
      assertEquals(s.codePointCount(0, s.length()), scan.codePoints, s);
      assertEquals(TextScan.hash(s), scan.hash, "a reused scan hashes as a fresh one: " + s);
    }
    // Broken surrogates count as the three bytes of a surrogate code unit.
    scan.scan("a\uDE00b\uD83D");
    assertEquals(8, scan.utf8Bytes);
    assertEquals(4, scan.codePoints);
    scan.scan("x".repeat(8191) + "Ã©");
    assertEquals(FindingKind.MOJIBAKE, scan.damage, "a lead and its continuation across slices");

    // One character changed anywhere (either hash lane, a tail, either side of a slice edge)
    // changes the hash; so does the length alone.
    String base = "q".repeat(20_003);
    java.util.Set<Long> hashes = new java.util.HashSet<>();
    hashes.add(TextScan.hash(base));
    hashes.add(TextScan.hash(base + "\0"));
    int[] positions = {0, 3, 4, 7, 8, 8191, 8192, 8199, 8200, 19_999, 20_000, 20_002};
    for (int at : positions) {
      hashes.add(TextScan.hash(base.substring(0, at) + "r" + base.substring(at + 1)));
    }
    assertEquals(positions.length + 2, hashes.size());
  }

  @Test
  void textScanTellsMojibakeFromLatin1BytesFromCleanText() {
    TextScan scan = new TextScan();
    scan.scan("Café Zürich 東京 😀");
    assertEquals(null, scan.damage);
    assertEquals("Café Zürich 東京 😀".getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
        scan.utf8Bytes);
    scan.scan("José Müller, Ørsted Æ");
    assertEquals(null, scan.damage, "accented text alone is not mojibake");
    scan.scan("CafÃ©");
    assertEquals(FindingKind.MOJIBAKE, scan.damage);
    scan.scan("itâ€™s");
    assertEquals(FindingKind.MOJIBAKE, scan.damage, "’ as Windows-1252 mojibake");
    scan.scan("Caf\uFFFD");
    assertEquals(FindingKind.INVALID_ENCODING, scan.damage);
    scan.scan("smart\u0093quote");
    assertEquals(FindingKind.INVALID_ENCODING, scan.damage);
  }
}
