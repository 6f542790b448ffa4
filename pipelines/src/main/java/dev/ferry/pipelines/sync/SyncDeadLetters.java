package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.Dialect;
import dev.ferry.progress.StateTables;
import dev.ferry.record.DeadLetter;
import dev.ferry.write.DeadLetterBatch;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Records rows sync could not apply in the target's {@code ferry_dead_letter}, as the backfill's
 * writer does (same table and columns), under the fingerprint {@value ChangeApplier#FINGERPRINT}
 * and inside the applier's transaction.
 */
final class SyncDeadLetters {
  private final String job;
  private final String sql;
  private DeadLetterBatch letters;

  SyncDeadLetters(String job, Dialect dialect, List<String> stateSchema) {
    this.job = job;
    this.sql = new StateTables(dialect, stateSchema).upsertDeadLetter();
  }

  /** Prepares the statement on a new target connection. */
  void prepare(Connection target) throws SQLException {
    letters = new DeadLetterBatch(target.prepareStatement(sql), job, ChangeApplier.FINGERPRINT,
        ChangeApplier.FINGERPRINT);
  }

  void add(DeadLetter d) throws SQLException {
    letters.write(List.of(d));
  }
}
