package dev.ferry.profile;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Facts a profile takes from the database rather than from the rows: the table's size on disk,
 * its growth by a created-at column and whether a constraint makes its key unique. Only reads; never runs ANALYZE or anything else that
 * changes the source.
 */
public final class TableCatalog {
  /** Names a created-at column goes by, most telling first. */
  private static final List<String> CREATED_AT_NAMES = List.of("created_at", "createdat",
      "created_on", "creation_date", "creation_time", "create_time", "create_date",
      "date_created", "inserted_at", "insert_time", "created");

  private TableCatalog() {}

  /**
   * Each column's type as the table declares it: MySQL's {@code COLUMN_TYPE}
   * ({@code enum('new','paid')}, {@code tinyint(1)}, {@code int(10) unsigned}), PostgreSQL's
   * {@code format_type} ({@code character varying(40)}, {@code numeric(10,2)}). Drivers describe
   * some types otherwise (an ENUM as CHAR, TINYINT(1) as BIT). Empty when the catalog does not
   * know the name.
   */
  public static Map<String, String> declaredTypes(Connection connection, Dialect dialect,
      List<String> table) throws SQLException {
    boolean postgres = dialect == Dialect.POSTGRESQL;
    String sql = postgres
        ? "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            + " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped"
        : "SELECT column_name, column_type FROM information_schema.columns"
            + " WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?";
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bindTable(ps, dialect, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return types;
  }

  /**
   * Binds a catalog query's table: PostgreSQL's {@code to_regclass(?)} takes the qualified name,
   * MySQL's information_schema the schema (null: the current database) and the name.
   */
  private static void bindTable(PreparedStatement ps, Dialect dialect, List<String> table)
      throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      ps.setString(1, dialect.quoteQualified(table));
    } else {
      ps.setString(1, table.size() > 1 ? table.get(table.size() - 2) : null);
      ps.setString(2, table.get(table.size() - 1));
    }
  }

  /**
   * Bytes the table takes with its indexes and out-of-line storage: PostgreSQL's
   * {@code pg_total_relation_size}, MySQL's {@code data_length + index_length} from
   * information_schema (InnoDB's estimate as of its last statistics update). Empty when the
   * catalog does not know the name (a view, for example).
   */
  public static OptionalLong tableBytes(Connection connection, Dialect dialect,
      List<String> table) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement ps = connection.prepareStatement(
          "SELECT pg_total_relation_size(to_regclass(?))")) {
        ps.setString(1, dialect.quoteQualified(table));
        return single(ps);
      }
    }
    String name = table.get(table.size() - 1);
    String schema = table.size() > 1 ? table.get(table.size() - 2) : null;
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT data_length + index_length FROM information_schema.tables"
            + " WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?")) {
      ps.setString(1, schema);
      ps.setString(2, name);
      return single(ps);
    }
  }

  /**
   * The name of a primary key, unique constraint or unique index that proves no two rows of
   * {@code table} share a value of {@code keyColumns}: one whose columns are all key columns (a
   * unique subset makes the whole key unique). Partial and expression indexes prove nothing and
   * are ignored, as are PostgreSQL indexes not (yet) valid. NULLs never collide in a unique index,
   * which matches the profile: rows with a NULL key are reported apart, not as duplicates. Empty
   * when there is no such index, or the name is not a table.
   */
  public static Optional<String> uniqueKeyConstraint(Connection connection, Dialect dialect,
      List<String> table, List<String> keyColumns) throws SQLException {
    boolean postgres = dialect == Dialect.POSTGRESQL;
    String sql = postgres
        ? "SELECT i.indexrelid::regclass::text, a.attname"
            + " FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            + " AND a.attnum = ANY (i.indkey)"
            + " WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indisvalid"
            + " AND i.indpred IS NULL AND i.indexprs IS NULL"
            + " ORDER BY i.indisprimary DESC, 1"
        : "SELECT index_name, column_name FROM information_schema.statistics"
            + " WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?"
            + " AND non_unique = 0 ORDER BY index_name = 'PRIMARY' DESC, index_name";
    // Index name -> whether every column seen so far is a key column, in the query's order.
    Map<String, Boolean> withinKey = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bindTable(ps, dialect, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String column = rs.getString(2);
          boolean isKey = column != null && keyColumns.stream().anyMatch(k ->
              postgres ? k.equals(column) : k.equalsIgnoreCase(column));
          withinKey.merge(rs.getString(1), isKey, Boolean::logicalAnd);
        }
      }
    }
    return withinKey.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
        .findFirst();
  }

  private static OptionalLong single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return OptionalLong.empty();
      }
      long bytes = rs.getLong(1);
      return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(bytes);
    }
  }

  /**
   * The column that records when a row was created: the first date or timestamp column named
   * like created_at, or null when there is none.
   */
  public static String detectCreatedAt(Layout layout) {
    for (String candidate : CREATED_AT_NAMES) {
      for (Column c : layout.columns()) {
        if (c.name().toLowerCase(Locale.ROOT).equals(candidate) && isTemporal(c)) {
          return c.name();
        }
      }
    }
    return null;
  }

  /** Whether a column holds dates or timestamps, so it can measure growth. */
  public static boolean isTemporal(Column c) {
    return c.jdbcType() == Types.DATE || c.jdbcType() == Types.TIMESTAMP
        || c.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE;
  }

  /**
   * Rows of {@code fromClause} created in the last 30 and 90 days by {@code column}, counted by
   * the database against its own clock, in one scan of at most 90 days (an index on the column
   * makes it a range scan). A profile counts the same during its own scan of the rows instead,
   * with {@link #growthWindow}.
   */
  public static Growth growth(Connection connection, Dialect dialect, String fromClause,
      String column) throws SQLException {
    String c = dialect.quote(column);
    String sql = "SELECT COALESCE(SUM(CASE WHEN " + c + " >= " + daysAgo(dialect, 30)
        + " THEN 1 ELSE 0 END), 0), count(*) FROM " + fromClause + " WHERE " + c + " >= "
        + daysAgo(dialect, 90) + " AND " + c + " <= CURRENT_TIMESTAMP";
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new Growth(column, rs.getLong(1), rs.getLong(2));
    }
  }

  /** The server's character set (PostgreSQL's {@code server_encoding}); null for MySQL. */
  public static String serverEncoding(Connection connection, Dialect dialect)
      throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return null;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_encoding")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * The database's clock now and 30 and 90 days ago, as instants and in the session's local time,
   * for counting growth by {@code column} while profiling the rows: the same bounds
   * {@link #growth} compares with, read once. Connections of one endpoint share the session time
   * zone that the comparison of zone-less values depends on.
   */
  public static GrowthWindow growthWindow(Connection connection, Dialect dialect, String column)
      throws SQLException {
    String[] bounds = {daysAgo(dialect, 90), daysAgo(dialect, 30), "CURRENT_TIMESTAMP"};
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String b : bounds) {
      sql.append(dialect == Dialect.POSTGRESQL ? "EXTRACT(EPOCH FROM " + b + "), (" + b
          + ")::timestamp, " : "UNIX_TIMESTAMP(" + b + "), " + b + ", ");
    }
    sql.setLength(sql.length() - 2);
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.toString())) {
      rs.next();
      return new GrowthWindow(column, instant(rs, 1), instant(rs, 3), instant(rs, 5),
          rs.getObject(2, LocalDateTime.class), rs.getObject(4, LocalDateTime.class),
          rs.getObject(6, LocalDateTime.class));
    }
  }

  private static String daysAgo(Dialect dialect, int days) {
    return dialect == Dialect.POSTGRESQL ? "CURRENT_TIMESTAMP - INTERVAL '" + days + " days'"
        : "CURRENT_TIMESTAMP - INTERVAL " + days + " DAY";
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    BigDecimal seconds = rs.getBigDecimal(column);
    long whole = seconds.longValue();
    return Instant.ofEpochSecond(whole, seconds.subtract(BigDecimal.valueOf(whole))
        .movePointRight(9).longValue());
  }
}
