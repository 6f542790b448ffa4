package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.Dialect;
import dev.ferry.progress.StateTables;
import dev.ferry.record.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Records rows sync could not apply in the target's {@code ferry_dead_letter}, as the backfill's
 * writer does (same table and columns), under the fingerprint {@value ChangeApplier#FINGERPRINT}
 * and inside the applier's transaction.
 */
final class SyncDeadLetters {
  private final String job;
  private final String sql;
  private PreparedStatement statement;

  SyncDeadLetters(String job, Dialect dialect, List<String> stateSchema) {
    this.job = job;
    this.sql = new StateTables(dialect, stateSchema).upsertDeadLetter();
  }

  /** Prepares the statement on a new target connection. */
  void prepare(Connection target) throws SQLException {
    statement = target.prepareStatement(sql);
  }

  void add(DeadLetter d) throws SQLException {
    statement.setString(1, job);
    statement.setString(2, ChangeApplier.FINGERPRINT);
    statement.setString(3, sha256(d.key()));
    statement.setString(4, d.stage().name().toLowerCase(Locale.ROOT));
    statement.setString(5, d.key());
    statement.setString(6, d.column());
    statement.setString(7, d.error());
    statement.setString(8, d.sourceRow());
    statement.setString(9, ChangeApplier.FINGERPRINT);
    statement.executeUpdate();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
