package dev.ferry.digest;

import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class DigestCodersTest {
  @Test
  void digestCoder() throws Exception {
    for (Digest d : new Digest[] {Digest.empty(), new Digest(3, Long.MIN_VALUE, -1L)}) {
      CoderProperties.coderDecodeEncodeEqual(Digest.Coder.of(), d);
      CoderProperties.coderDeterministic(Digest.Coder.of(), d, new Digest(d.count(), d.lane1(),
          d.lane2()));
    }
    CoderProperties.coderSerializable(Digest.Coder.of());
  }

  @Test
  void rowDigestCoderWithAndWithoutARejectedColumn() throws Exception {
    RowDigest full = new RowDigest(2, 17L, 1L, -2L, new int[] {5, -6}, new double[] {0.5, -0.0},
        null);
    RowDigest rejected = new RowDigest(0, 0L, 0L, 0L, new int[0], new double[0], "amount");
    for (RowDigest d : new RowDigest[] {full, rejected}) {
      CoderProperties.coderDecodeEncodeEqual(RowDigest.Coder.of(), d);
    }
    CoderProperties.coderSerializable(RowDigest.Coder.of());
  }
}
