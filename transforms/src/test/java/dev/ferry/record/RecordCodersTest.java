package dev.ferry.record;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** Beam's coder contract for ferry's own coders: decode(encode(x)) equals x, deterministically. */
class RecordCodersTest {
  private static final Record ROW = Record.of(1L, "ā", null, new BigDecimal("-1.50"),
      new byte[] {1, 2}, LocalDateTime.of(2024, 1, 1, 0, 0), UUID.randomUUID(), 2.5f);

  @Test
  void recordCoder() throws Exception {
    for (Record r : List.of(ROW, Record.of(), Record.of((Object) null))) {
      CoderProperties.coderDecodeEncodeEqual(RecordCoder.of(), r);
      CoderProperties.coderDeterministic(RecordCoder.of(), r, Record.of(r.values().clone()));
      CoderProperties.coderSerializable(RecordCoder.of());
    }
  }

  @Test
  void chunkCoderForMappedRowsDeadLettersAndCopyText() throws Exception {
    Chunk mapped = new Chunk(3, 7L, true, "[[\"long\",\"9\"]]", 2, List.of(ROW, ROW),
        List.of(Record.of("a"), Record.of("b")),
        List.of(new DeadLetter("[[\"long\",\"8\"]]", DeadLetter.Stage.MAP, "amount",
            "cannot convert", "{\"id\":8}")));
    Chunk unmapped = new Chunk(0, 0L, false, null, 0, List.of(), null, List.of());
    Chunk copy = Chunk.ofCopyText(1, 2L, false, "k",
        new CopyTextRows("1\tx\n2\ty\n".getBytes(StandardCharsets.UTF_8), 2));
    for (Chunk c : List.of(mapped, unmapped, copy)) {
      CoderProperties.coderDecodeEncodeEqual(ChunkCoder.of(), c);
      CoderProperties.coderDecodeEncodeInContext(ChunkCoder.of(),
          org.apache.beam.sdk.coders.Coder.Context.NESTED, c, org.hamcrest.Matchers.equalTo(c));
    }
    CoderProperties.coderSerializable(ChunkCoder.of());
  }
}
