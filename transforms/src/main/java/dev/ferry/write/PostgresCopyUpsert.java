package dev.ferry.write;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.CopyTextRows;
import dev.ferry.record.Sha256;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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

  /** Copies rows already in COPY text into the target; fails if any key exists. */
  void insert(CopyTextRows rows) throws SQLException {
    copy(copyToTargetSql, rows);
  }

  /** Copies rows already in COPY text into the staging table and upserts them. */
  void upsert(CopyTextRows rows) throws SQLException {
    copy(copyToStageSql, rows);
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(moveSql);
    }
  }

  private void copy(String sql, CopyTextRows rows) throws SQLException {
    CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      in.writeToCopy(rows.text(), 0, rows.text().length);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private void copy(String sql, List<Object[]> rows) throws SQLException {
    CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      CopyText out = new CopyText(in);
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          if (i > 0) {
            out.put('\t');
          }
          out.value(row[i]);
        }
        out.put('\n');
      }
      out.flush();
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  /**
   * Writes rows in COPY's text format straight into the connection, {@value #FLUSH_BYTES} bytes
   * at a time: values are escaped and encoded as UTF-8 as they go, so a 200 MB value never
   * becomes a second 200 MB string (or a 400 MB hex string) in memory.
   */
  static final class CopyText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Text is encoded from slices of this many chars (bulk copies, no per-char bounds checks). */
    private static final int SLICE_CHARS = 8192;
    /**
     * Text up to this long is encoded by the JDK in one call (its UTF-8 encoder copies ASCII in
     * bulk) and then escaped; longer text goes by slices, never held twice whole.
     */
    private static final int SHORT_TEXT_CHARS = 4096;
    private final CopyIn in;
    private final byte[] buf = new byte[FLUSH_BYTES];
    private final char[] slice = new char[SLICE_CHARS];
    private int pos;

    CopyText(CopyIn in) {
      this.in = in;
    }

    void put(int b) throws SQLException {
      if (pos == buf.length) {
        flush();
      }
      buf[pos++] = (byte) b;
    }

    void flush() throws SQLException {
      if (pos > 0) {
        in.writeToCopy(buf, 0, pos);
        pos = 0;
      }
    }

    /** COPY text format: \N for NULL, backslash escapes for the separators. */
    void value(Object v) throws SQLException {
      if (v == null) {
        ascii("\\N");
      } else if (v instanceof String) {
        text((String) v);
      } else if (v instanceof Long || v instanceof Integer) {
        integer(((Number) v).longValue());
      } else if (v instanceof Boolean) {
        put((Boolean) v ? 't' : 'f');
      } else if (v instanceof BigDecimal) {
        ascii(((BigDecimal) v).toPlainString());
      } else if (v instanceof byte[]) {
        ascii("\\\\x");
        for (byte b : (byte[]) v) {
          put(HEX[(b >> 4) & 0xf]);
          put(HEX[b & 0xf]);
        }
      } else if (v instanceof LocalDate) {
        date((LocalDate) v);
      } else if (v instanceof LocalDateTime) {
        ascii(PostgresTime.timestamp((LocalDateTime) v));
      } else if (v instanceof OffsetDateTime) {
        ascii(PostgresTime.timestamptz((OffsetDateTime) v));
      } else {
        // Double, Float, UUID and LocalTime print in forms PostgreSQL parses back exactly
        // (shortest round-trip digits, ISO 8601, NaN/Infinity).
        text(v.toString());
      }
    }

    /** Short ASCII (numbers, dates, \\N) straight into the buffer, with one room check. */
    private void ascii(String s) throws SQLException {
      int n = s.length();
      if (buf.length - pos < n) {
        flush();
      }
      if (n > buf.length) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        copyBytes(b, 0, b.length);
        return;
      }
      for (int i = 0; i < n; i++) {
        buf[pos + i] = (byte) s.charAt(i);
      }
      pos += n;
    }

    /** Decimal digits straight into the buffer: the most common key type, without a String. */
    private void integer(long v) throws SQLException {
      if (v == Long.MIN_VALUE) {
        ascii(Long.toString(v));
        return;
      }
      if (buf.length - pos < 20) {
        flush();
      }
      if (v < 0) {
        buf[pos++] = '-';
        v = -v;
      }
      int end = pos + digits(v);
      for (int i = end - 1; i >= pos; i--) {
        buf[i] = (byte) ('0' + v % 10);
        v /= 10;
      }
      pos = end;
    }

    /**
     * A date of the years 1 to 9999 as yyyy-mm-dd straight into the buffer: LocalDate.toString
     * builds a String per value, a tenth of the writer's time for a table of dates. Other years
     * and the infinite dates take {@link PostgresTime#date}.
     */
    private void date(LocalDate d) throws SQLException {
      int year = d.getYear();
      if (year < 1 || year > 9999) {
        ascii(PostgresTime.date(d));
        return;
      }
      if (buf.length - pos < 10) {
        flush();
      }
      twoDigits(year / 100);
      twoDigits(year % 100);
      buf[pos++] = '-';
      twoDigits(d.getMonthValue());
      buf[pos++] = '-';
      twoDigits(d.getDayOfMonth());
    }

    private void twoDigits(int v) {
      buf[pos++] = (byte) ('0' + v / 10);
      buf[pos++] = (byte) ('0' + v % 10);
    }

    private static int digits(long v) {
      int n = 1;
      while (v >= 10) {
        v /= 10;
        n++;
      }
      return n;
    }

    private void text(String s) throws SQLException {
      if (s.length() <= SHORT_TEXT_CHARS) {
        escapeBytes(s.getBytes(StandardCharsets.UTF_8));
        return;
      }
      int n = s.length();
      for (int from = 0; from < n; ) {
        int to = Math.min(n, from + SLICE_CHARS);
        if (to < n && Character.isHighSurrogate(s.charAt(to - 1))) {
          to--; // keep a surrogate pair within one slice
        }
        s.getChars(from, to, slice, 0);
        encode(to - from);
        from = to;
      }
    }

    /**
     * Writes UTF-8 text with COPY's escapes. No byte of a multi-byte UTF-8 character is ASCII,
     * so the separators can be escaped byte by byte, and runs between them are copied whole.
     */
    private void escapeBytes(byte[] u) throws SQLException {
      int from = 0;
      for (int i = 0; i < u.length; i++) {
        byte c = u[i];
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
          copyBytes(u, from, i);
          put('\\');
          put(c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
          from = i + 1;
        }
      }
      copyBytes(u, from, u.length);
    }

    private void copyBytes(byte[] u, int from, int to) throws SQLException {
      while (from < to) {
        if (pos == buf.length) {
          flush();
        }
        int n = Math.min(to - from, buf.length - pos);
        System.arraycopy(u, from, buf, pos, n);
        pos += n;
        from += n;
      }
    }

    /** Escapes and UTF-8-encodes the first {@code len} chars of {@link #slice}. */
    private void encode(int len) throws SQLException {
      char[] cs = slice;
      byte[] b = buf;
      int p = pos;
      for (int i = 0; i < len; i++) {
        if (b.length - p < 4) {
          pos = p;
          flush();
          p = 0;
        }
        char c = cs[i];
        if (c < 0x80) {
          if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            b[p++] = '\\';
            b[p++] = (byte) (c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
          } else {
            b[p++] = (byte) c;
          }
        } else if (c < 0x800) {
          b[p++] = (byte) (0xc0 | c >> 6);
          b[p++] = (byte) (0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c) && i + 1 < len
            && Character.isLowSurrogate(cs[i + 1])) {
          int cp = Character.toCodePoint(c, cs[++i]);
          b[p++] = (byte) (0xf0 | cp >> 18);
          b[p++] = (byte) (0x80 | cp >> 12 & 0x3f);
          b[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
          b[p++] = (byte) (0x80 | cp & 0x3f);
        } else if (Character.isSurrogate(c)) {
          // ValueBinder dead-letters broken surrogates first; never reached for checked values.
          b[p++] = '?';
        } else {
          b[p++] = (byte) (0xe0 | c >> 12);
          b[p++] = (byte) (0x80 | c >> 6 & 0x3f);
          b[p++] = (byte) (0x80 | c & 0x3f);
        }
      }
      pos = p;
    }
  }

  private static String shortHash(String s) {
    return Sha256.hex(s).substring(0, 16);
  }
}
