package dev.ferry.pipelines.sync;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a PostgreSQL target's identity and serial sequences past every id the source has
 * handed out: the larger of the target's max + 1 and the source's next value (MySQL's
 * AUTO_INCREMENT counter, or a PostgreSQL source's own sequence), so that the first insert
 * after the switch cannot collide with a copied row, nor reuse an id deleted at the source.
 */
final class Sequences {
  private Sequences() {}

  /** Restarts each sequence of every synced target table; returns what was done, one per line. */
  static List<String> restart(SyncSetup setup) throws SQLException {
    List<String> done = new ArrayList<>();
    if (setup.config.target.dialect() != Dialect.POSTGRESQL) {
      return done;
    }
    try (Connection t = setup.config.target.connect(JdbcEndpoint.Role.TARGET);
        Connection s = setup.config.source.connect(JdbcEndpoint.Role.SOURCE)) {
      t.setAutoCommit(true);
      for (SyncedTable synced : setup.tables) {
        restart(synced, t, s, done);
      }
    }
    return done;
  }

  private static void restart(SyncedTable synced, Connection t, Connection s, List<String> done)
      throws SQLException {
    String table = Dialect.POSTGRESQL.quoteQualified(synced.prepared.table().name());
    for (String sourceColumn : synced.prepared.sourceLayout().names()) {
      String column = synced.prepared.mapper().outputFor(sourceColumn);
      if (column == null) {
        continue;
      }
      String sequence = sequenceOf(t, table, column);
      if (sequence == null) {
        continue;
      }
      long next = Math.max(maxPlusOne(t, table, Dialect.POSTGRESQL.quote(column)),
          sourceNext(synced, s, sourceColumn));
      try (PreparedStatement p = t.prepareStatement("SELECT setval(?::regclass, ?, false)")) {
        p.setString(1, sequence);
        p.setLong(2, next);
        p.execute();
      }
      done.add(synced.prepared.targetName() + "." + column + ": sequence " + sequence
          + " restarts at " + next);
    }
  }

  private static String sequenceOf(Connection c, String table, String column)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
      p.setString(1, table);
      p.setString(2, column);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static long maxPlusOne(Connection c, String table, String quotedColumn)
      throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT max(" + quotedColumn + ") FROM " + table)) {
      rs.next();
      return rs.getLong(1) + 1;
    }
  }

  private static long sourceNext(SyncedTable synced, Connection s, String column)
      throws SQLException {
    Dialect d = synced.config.source.dialect();
    String table = d.quoteQualified(synced.sourceTable);
    long next = maxPlusOne(s, table, d.quote(column));
    if (d == Dialect.MYSQL) {
      List<String> name = synced.sourceTable;
      try (PreparedStatement p = s.prepareStatement("SELECT AUTO_INCREMENT FROM"
          + " information_schema.tables WHERE table_schema = COALESCE(?, DATABASE())"
          + " AND table_name = ?")) {
        p.setString(1, name.size() > 1 ? name.get(name.size() - 2) : null);
        p.setString(2, name.get(name.size() - 1));
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next() && rs.getObject(1) != null) {
            next = Math.max(next, rs.getLong(1));
          }
        }
      }
    }
    return next;
  }
}
