package dev.ferry.schema;

import dev.ferry.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the views, triggers and stored routines of a MySQL / MariaDB schema, so that a migration
 * can say what it did with each instead of leaving them behind in silence.
 *
 * <p>Triggers and routines are read with {@code SHOW CREATE}, which prints the whole statement a
 * user can port. A user without the privilege that statement needs (the routine's owner or global
 * SELECT) gets what information_schema shows: the body only, or nothing, in which case the
 * definition says so.
 */
public final class MySqlObjects {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlObjects.class);
  /** The definition of an object the server does not show to this user. */
  public static final String UNREADABLE =
      "-- (the server did not show the definition to this user)";

  private MySqlObjects() {}

  /** Views (by name), then triggers (by table and name), then procedures and functions. */
  public static List<SourceObject> read(Connection c, String schema) throws SQLException {
    List<SourceObject> objects = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, VIEW_DEFINITION,"
        + " CHECK_OPTION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?"
        + " ORDER BY TABLE_NAME")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String select = orUnreadable(rs.getString(2));
          String check = rs.getString(3);
          // Kept apart from the SELECT by the server; PostgreSQL spells it the same way.
          if (!select.equals(UNREADABLE) && ("LOCAL".equals(check)
              || "CASCADED".equals(check))) {
            select += " WITH " + check + " CHECK OPTION";
          }
          objects.add(new SourceObject(SourceObject.Kind.VIEW, rs.getString(1), Optional.empty(),
              select));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE,"
        + " ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS"
        + " WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String fallback = "CREATE TRIGGER " + quote(name) + " " + rs.getString(3) + " "
              + rs.getString(4) + " ON " + quote(rs.getString(2)) + " FOR EACH ROW "
              + orUnreadable(rs.getString(5));
          objects.add(new SourceObject(SourceObject.Kind.TRIGGER, name,
              Optional.of(rs.getString(2)), showCreate(c, "TRIGGER", schema, name, fallback)));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT ROUTINE_NAME, ROUTINE_TYPE,"
        + " ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?"
        + " ORDER BY ROUTINE_TYPE DESC, ROUTINE_NAME")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String type = rs.getString(2);
          SourceObject.Kind kind = "FUNCTION".equals(type) ? SourceObject.Kind.FUNCTION
              : SourceObject.Kind.PROCEDURE;
          String fallback = "-- body only (SHOW CREATE " + type + " was not allowed):\n"
              + orUnreadable(rs.getString(3));
          objects.add(new SourceObject(kind, name, Optional.empty(),
              showCreate(c, type, schema, name, fallback)));
        }
      }
    }
    LOG.info("schema {}: {} views, triggers and routines", schema, objects.size());
    return objects;
  }

  /**
   * The statement {@code SHOW CREATE <kind>} prints (its third column, for triggers, procedures
   * and functions alike), or the fallback.
   */
  private static String showCreate(Connection c, String kind, String schema, String name,
      String fallback) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW CREATE " + kind + " " + quote(schema) + "."
            + quote(name))) {
      if (rs.next() && rs.getString(3) != null) {
        return rs.getString(3);
      }
    } catch (SQLException e) {
      LOG.debug("SHOW CREATE {} {} refused: {}", kind, name, e.getMessage());
    }
    return fallback;
  }

  private static String orUnreadable(String text) {
    return text == null || text.isEmpty() ? UNREADABLE : text;
  }

  private static String quote(String name) {
    return Dialect.MYSQL.quote(name);
  }
}
