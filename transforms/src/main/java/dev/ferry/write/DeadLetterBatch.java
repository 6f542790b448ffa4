package dev.ferry.write;

import dev.ferry.record.DeadLetter;
import dev.ferry.record.Sha256;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * A chunk's dead letters written in its own transaction, one batch: a row is either written or
 * recorded with its reason, never neither. The key is stored with its hash, which keeps the
 * table's unique index short whatever the key's length.
 */
public record DeadLetterBatch(PreparedStatement insert, String job, String fingerprint,
    String runId) {

  /** Writes the letters with {@code insert}, which is {@code StateTables#upsertDeadLetter}. */
  public void write(List<DeadLetter> dead) throws SQLException {
    if (dead.isEmpty()) {
      return;
    }
    for (DeadLetter d : dead) {
      insert.setString(1, job);
      insert.setString(2, fingerprint);
      insert.setString(3, Sha256.hex(d.key()));
      insert.setString(4, d.stage().name().toLowerCase(Locale.ROOT));
      insert.setString(5, d.key());
      insert.setString(6, d.column());
      insert.setString(7, scrub(d.error()));
      insert.setString(8, scrub(d.sourceRow()));
      insert.setString(9, runId);
      insert.addBatch();
    }
    insert.executeBatch();
  }

  // The dead-letter table is text: it must accept what the data table refused, NULs included.
  private static String scrub(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace("\0", "\\u0000");
  }
}
