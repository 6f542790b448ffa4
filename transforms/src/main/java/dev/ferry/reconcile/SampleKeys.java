package dev.ferry.reconcile;

import dev.ferry.digest.Hashes;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.jdbc.ColumnReader;
import dev.ferry.record.Column;
import dev.ferry.record.KeyCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Draws a uniform random sample of source keys without replacement: every key gets a seeded
 * pseudo-random rank (MD5 of seed and key) and the {@code n} lowest ranks win ("bottom-k"). One
 * streaming scan of the key columns, memory for {@code n} keys, and the same seed draws the same
 * sample again, so a re-run reports the same thing.
 */
public final class SampleKeys {
  private SampleKeys() {}

  /** Up to {@code n} keys of {@code source}, as lookup key values, in rank order. */
  public static List<Object[]> draw(ReconcileSide source, int n, long seed) throws SQLException {
    if (n < 1) {
      throw new IllegalArgumentException("sample size must be at least 1, got " + n);
    }
    List<Column> keys = source.lookupKeyColumns();
    Dialect d = source.dialect();
    List<String> names = new ArrayList<>();
    for (Column c : keys) {
      names.add(c.name());
    }
    ColumnReader[] readers = ColumnReader.forColumns(keys, d);
    // Highest rank on top, so it is the one evicted by a lower-ranked key.
    PriorityQueue<Ranked> kept = new PriorityQueue<>(Comparator.comparingLong(
        (Ranked r) -> r.rank).reversed());
    String sql = "SELECT " + d.columnList(names) + " FROM " + source.relation().fromClause(d);
    try (Connection c = source.endpoint().connect(JdbcEndpoint.Role.SOURCE)) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(d == Dialect.MYSQL ? Integer.MIN_VALUE : 10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Object[] key = new Object[readers.length];
            for (int i = 0; i < key.length; i++) {
              key[i] = readers[i].read(rs, i + 1);
            }
            long rank = Hashes.long64(Hashes.md5(seed + ":" + KeyCodec.encode(key)), 0)
                >>> 1;
            if (kept.size() < n) {
              kept.add(new Ranked(rank, key));
            } else if (rank < kept.peek().rank) {
              kept.poll();
              kept.add(new Ranked(rank, key));
            }
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new SQLException("sampling keys of " + source + " failed: "
          + source.endpoint().redact(e.getMessage()), e.getSQLState(), e.getErrorCode());
    }
    List<Ranked> ordered = new ArrayList<>(kept);
    ordered.sort(Comparator.comparingLong((Ranked r) -> r.rank));
    List<Object[]> sample = new ArrayList<>(ordered.size());
    for (Ranked r : ordered) {
      sample.add(r.key);
    }
    return sample;
  }

  private static final class Ranked {
    final long rank;
    final Object[] key;

    Ranked(long rank, Object[] key) {
      this.rank = rank;
      this.key = key;
    }
  }
}
