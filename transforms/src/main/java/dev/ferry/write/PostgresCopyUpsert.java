package dev.ferry.write;

import dev.ferry.jdbc.Dialect;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The fast paths of the PostgreSQL upsert, both built on {@code COPY}, which skips per-row
 * statement overhead and loads several times faster than batched INSERTs.
 *
 * <p>{@link #insert} copies a chunk straight into the target. It is only correct because the
 * target has a unique constraint on the key ({@link TargetTable} checks): if any key already
 * exists the COPY fails as a whole with a unique violation, the caller rolls back to its
 * savepoint and uses {@link #upsert} instead, so the result is always that of the upsert.
 *
 * <p>{@link #upsert} copies the chunk into a temporary staging table shaped like the target and
 * moves it with one {@code INSERT … SELECT … ON CONFLICT} statement with the semantics of {@link
 * UpsertSql}. The staging table is {@code ON COMMIT DELETE ROWS}, so every chunk starts empty.
 *
 * <p>If either fails on a data error the caller rolls back and writes the chunk again
 * row-isolating, so the bad rows are still found and dead-lettered one by one.
 */
final class PostgresCopyUpsert {
  private static final int FLUSH_BYTES = 1 << 16;

  private final Connection connection;
  private final String copyToStageSql;
  private final String copyToTargetSql;
  private final String moveSql;

  private PostgresCopyUpsert(Connection connection, String copyToStageSql,
      String copyToTargetSql, String moveSql) {
    this.connection = connection;
    this.copyToStageSql = copyToStageSql;
    this.copyToTargetSql = copyToTargetSql;
    this.moveSql = moveSql;
  }

  /** Creates the session's staging table for {@code table}. */
  static PostgresCopyUpsert open(Connection connection, TargetTable table) throws SQLException {
    Dialect pg = Dialect.POSTGRESQL;
    String stage = pg.quote("ferry_stage_" + shortHash(table.displayName()));
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + stage + " (LIKE "
          + pg.quoteQualified(table.name()) + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
    }
    String columns = pg.columnList(table.columns().names());
    String upsert = UpsertSql.build(pg, table);
    String conflict = upsert.substring(upsert.indexOf(" ON CONFLICT"));
    String move = "INSERT INTO " + pg.quoteQualified(table.name()) + " AS ferry_target ("
        + columns + ") SELECT " + columns + " FROM pg_temp." + stage + conflict;
    return new PostgresCopyUpsert(connection,
        "COPY pg_temp." + stage + " (" + columns + ") FROM STDIN",
        "COPY " + pg.quoteQualified(table.name()) + " (" + columns + ") FROM STDIN", move);
  }

  /** Copies rows (converted by the binders) into the target; fails if any key exists. */
  void insert(List<Object[]> rows) throws SQLException {
    copy(copyToTargetSql, rows);
  }

  /** Copies rows (converted by the binders) into the staging table and upserts them. */
  void upsert(List<Object[]> rows) throws SQLException {
    copy(copyToStageSql, rows);
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(moveSql);
    }
  }

  private void copy(String sql, List<Object[]> rows) throws SQLException {
    CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      StringBuilder sb = new StringBuilder(FLUSH_BYTES + 4096);
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          if (i > 0) {
            sb.append('\t');
          }
          appendValue(sb, row[i]);
        }
        sb.append('\n');
        if (sb.length() >= FLUSH_BYTES) {
          byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
          in.writeToCopy(bytes, 0, bytes.length);
          sb.setLength(0);
        }
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  /** COPY text format: \N for NULL, backslash escapes for the separators. */
  private static void appendValue(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("\\N");
    } else if (v instanceof String) {
      appendEscaped(sb, (String) v);
    } else if (v instanceof Boolean) {
      sb.append((Boolean) v ? 't' : 'f');
    } else if (v instanceof BigDecimal) {
      sb.append(((BigDecimal) v).toPlainString());
    } else if (v instanceof byte[]) {
      sb.append("\\\\x").append(HexFormat.of().formatHex((byte[]) v));
    } else {
      // Long, Double, Float, UUID and java.time values print in forms PostgreSQL parses back
      // exactly (shortest round-trip digits, ISO 8601, NaN/Infinity).
      sb.append(v);
    }
  }

  private static void appendEscaped(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\':
          sb.append("\\\\");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        default:
          sb.append(c);
      }
    }
  }

  private static String shortHash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
