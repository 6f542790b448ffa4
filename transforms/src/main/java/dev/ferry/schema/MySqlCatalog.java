package dev.ferry.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a MySQL (5.7, 8.x) or MariaDB (10.2.7+) schema from information_schema over JDBC: base
 * tables, columns, primary keys, unique and secondary indexes, foreign keys, CHECK constraints
 * (where the server has them) and character sets. Views are not read.
 *
 * <p>MariaDB stores a JSON column as {@code longtext} with a {@code CHECK (json_valid(col))}
 * constraint; such columns are reported with data type {@code json} and the check is left out,
 * since the PostgreSQL json types validate by themselves.
 *
 * <p>The reader only runs SELECTs on information_schema; the connection's user needs no more than
 * the privileges that let it see the tables.
 */
public final class MySqlCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlCatalog.class);
  private static final Pattern JSON_VALID =
      Pattern.compile("(?i)\\s*json_valid\\s*\\(\\s*`((?:[^`]|``)+)`\\s*\\)\\s*");

  private final Connection connection;
  private final String schema;
  private final boolean mariaDb;
  private final Map<String, TableParts> tables = new LinkedHashMap<>();

  private MySqlCatalog(Connection connection, String schema, boolean mariaDb) {
    this.connection = connection;
    this.schema = schema;
    this.mariaDb = mariaDb;
  }

  /** Reads the connection's current database. */
  public static SourceSchema read(Connection connection) throws SQLException {
    String current = singleString(connection, "SELECT DATABASE()");
    if (current == null) {
      throw new IllegalArgumentException(
          "the connection has no current database; name the schema to read");
    }
    return read(connection, current);
  }

  /** Reads the named schema (database). */
  public static SourceSchema read(Connection connection, String schema) throws SQLException {
    String version = singleString(connection, "SELECT VERSION()");
    boolean mariaDb = version.contains("MariaDB");
    if (!mariaDb) {
      refreshMySqlStatistics(connection);
    }
    MySqlCatalog catalog = new MySqlCatalog(connection, schema, mariaDb);
    catalog.readTables();
    catalog.readColumns();
    catalog.readIndexes();
    catalog.readForeignKeys();
    catalog.readChecks();
    List<TableDef> result = new ArrayList<>();
    for (TableParts parts : catalog.tables.values()) {
      result.add(parts.build());
    }
    if (result.isEmpty()) {
      LOG.warn("schema {} has no base tables (or the user cannot see them)", schema);
    }
    LOG.info("read {} tables from {} schema {}", result.size(), version, schema);
    return new SourceSchema(schema, version, result);
  }

  /**
   * MySQL 8 caches table statistics such as AUTO_INCREMENT for a day by default; the next id must
   * be current for identity restarts. Older servers lack the variable and always answer fresh.
   */
  private static void refreshMySqlStatistics(Connection connection) {
    try (Statement s = connection.createStatement()) {
      s.execute("SET SESSION information_schema_stats_expiry = 0");
    } catch (SQLException e) {
      LOG.debug("server has no information_schema_stats_expiry: {}", e.getMessage());
    }
  }

  private void readTables() throws SQLException {
    String sql =
        "SELECT TABLE_NAME, TABLE_COLLATION, AUTO_INCREMENT FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')"
            + " ORDER BY TABLE_NAME";
    try (PreparedStatement ps = prepare(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString(1);
        Optional<String> collation = Optional.ofNullable(rs.getString(2));
        long next = rs.getLong(3);
        Optional<Long> nextAutoIncrement = rs.wasNull() ? Optional.empty() : Optional.of(next);
        tables.put(name, new TableParts(name, collation, nextAutoIncrement));
      }
    }
  }

  private void readColumns() throws SQLException {
    String sql =
        "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,"
            + " EXTRA, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION";
    try (PreparedStatement ps = prepare(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        TableParts table = tables.get(rs.getString(1));
        if (table == null) {
          continue; // a view's column
        }
        String dataType = rs.getString(3);
        String rawDefault = rs.getString(6);
        String extra = rs.getString(7);
        Optional<ColumnDefault> defaultValue =
            mariaDb
                ? ColumnDefaultParser.mariaDb(rawDefault)
                : ColumnDefaultParser.mySql(rawDefault, extra, dataType);
        table.columns.add(
            new ColumnDef(
                rs.getString(2),
                dataType,
                rs.getString(4),
                "YES".equals(rs.getString(5)),
                defaultValue,
                extra,
                Optional.ofNullable(rs.getString(8)),
                Optional.ofNullable(rs.getString(9))));
      }
    }
  }

  private void readIndexes() throws SQLException {
    String sql =
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE"
            + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
            + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";
    Map<List<String>, IndexParts> indexes = new LinkedHashMap<>();
    try (PreparedStatement ps = prepare(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String table = rs.getString(1);
        if (!tables.containsKey(table)) {
          continue;
        }
        String name = rs.getString(2);
        IndexParts index =
            indexes.computeIfAbsent(List.of(table, name), k -> new IndexParts(table, name));
        index.unique = rs.getInt(3) == 0;
        index.kind = IndexKind.fromMySql(rs.getString(7));
        String column = rs.getString(4);
        if (column == null) {
          index.functional = true; // a MySQL 8 expression key part
          continue;
        }
        int prefix = rs.getInt(5); // NULL (whole column) reads as 0
        index.parts.add(new IndexPart(column, prefix, "D".equals(rs.getString(6))));
      }
    }
    for (IndexParts index : indexes.values()) {
      TableParts table = tables.get(index.table);
      IndexDef def = index.build();
      if (def.name().equals("PRIMARY")) {
        table.primaryKey = Optional.of(def);
      } else {
        table.indexes.add(def);
      }
    }
  }

  private void readForeignKeys() throws SQLException {
    String sql =
        "SELECT rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.UPDATE_RULE, rc.DELETE_RULE, k.COLUMN_NAME,"
            + " k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME"
            + " FROM information_schema.REFERENTIAL_CONSTRAINTS rc"
            + " JOIN information_schema.KEY_COLUMN_USAGE k"
            + " ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA"
            + " AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME"
            + " AND k.REFERENCED_TABLE_NAME IS NOT NULL"
            + " WHERE rc.CONSTRAINT_SCHEMA = ?"
            + " ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION";
    Map<List<String>, List<String[]>> rows = new LinkedHashMap<>();
    try (PreparedStatement ps = prepare(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String[] row = new String[8];
        for (int i = 0; i < row.length; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.computeIfAbsent(List.of(row[0], row[1]), k -> new ArrayList<>()).add(row);
      }
    }
    for (List<String[]> key : rows.values()) {
      String[] first = key.get(0);
      TableParts table = tables.get(first[0]);
      if (table == null) {
        continue;
      }
      table.foreignKeys.add(
          new ForeignKeyDef(
              first[1],
              first[0],
              key.stream().map(r -> r[4]).toList(),
              first[5],
              first[6],
              key.stream().map(r -> r[7]).toList(),
              ReferentialAction.fromMySql(first[3]),
              ReferentialAction.fromMySql(first[2])));
    }
  }

  /**
   * CHECK constraints exist in information_schema from MySQL 8.0.16 and MariaDB 10.2; MariaDB names
   * them per table (and shows TABLE_NAME), MySQL per schema (TABLE_CONSTRAINTS has it).
   */
  private void readChecks() throws SQLException {
    Set<String> checkColumns = informationSchemaColumns("CHECK_CONSTRAINTS");
    if (checkColumns.isEmpty()) {
      LOG.debug("server has no information_schema.CHECK_CONSTRAINTS; no checks read");
      return;
    }
    String sql;
    if (checkColumns.contains("TABLE_NAME")) {
      sql =
          "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, 'YES'"
              + " FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
              + " ORDER BY TABLE_NAME, CONSTRAINT_NAME";
    } else {
      // MySQL 8.0.16+ can declare a check NOT ENFORCED
      String enforced =
          informationSchemaColumns("TABLE_CONSTRAINTS").contains("ENFORCED")
              ? "tc.ENFORCED"
              : "'YES'";
      sql =
          "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, "
              + enforced
              + " FROM information_schema.TABLE_CONSTRAINTS tc"
              + " JOIN information_schema.CHECK_CONSTRAINTS cc"
              + " ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
              + " AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
              + " WHERE tc.CONSTRAINT_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK'"
              + " ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME";
    }
    try (PreparedStatement ps = prepare(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        TableParts table = tables.get(rs.getString(1));
        if (table != null) {
          table.addCheck(
              new CheckDef(rs.getString(2), rs.getString(3), "YES".equals(rs.getString(4))));
        }
      }
    }
  }

  private Set<String> informationSchemaColumns(String table) throws SQLException {
    String sql =
        "SELECT COLUMN_NAME FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = ?";
    Set<String> columns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
    }
    return columns;
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql);
    ps.setString(1, schema);
    return ps;
  }

  private static String singleString(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** A table while its parts are read from several information_schema views. */
  private static final class TableParts {
    final String name;
    final Optional<String> collation;
    final Optional<Long> nextAutoIncrement;
    final List<ColumnDef> columns = new ArrayList<>();
    Optional<IndexDef> primaryKey = Optional.empty();
    final List<IndexDef> indexes = new ArrayList<>();
    final List<ForeignKeyDef> foreignKeys = new ArrayList<>();
    final List<CheckDef> checks = new ArrayList<>();

    TableParts(String name, Optional<String> collation, Optional<Long> nextAutoIncrement) {
      this.name = name;
      this.collation = collation;
      this.nextAutoIncrement = nextAutoIncrement;
    }

    /** Keeps a check, unless it is MariaDB's marker of a JSON column: then marks the column. */
    void addCheck(CheckDef check) {
      Matcher json = JSON_VALID.matcher(check.clause());
      if (json.matches()) {
        String column = json.group(1).replace("``", "`");
        for (int i = 0; i < columns.size(); i++) {
          ColumnDef c = columns.get(i);
          if (c.name().equalsIgnoreCase(column) && c.dataType().equals("longtext")) {
            columns.set(i, c.asJson());
            return;
          }
        }
      }
      checks.add(check);
    }

    TableDef build() {
      // Every MySQL collation name starts with its character set name, which has no underscore.
      Optional<String> charset = collation.map(c -> c.split("_", 2)[0]);
      return new TableDef(
          name,
          charset,
          collation,
          nextAutoIncrement,
          columns,
          primaryKey,
          indexes,
          foreignKeys,
          checks);
    }
  }

  /** An index while its columns are read row by row. */
  private static final class IndexParts {
    final String table;
    final String name;
    boolean unique;
    IndexKind kind = IndexKind.BTREE;
    boolean functional;
    final List<IndexPart> parts = new ArrayList<>();

    IndexParts(String table, String name) {
      this.table = table;
      this.name = name;
    }

    IndexDef build() {
      return new IndexDef(name, unique, functional ? IndexKind.FUNCTIONAL : kind, parts);
    }
  }
}
