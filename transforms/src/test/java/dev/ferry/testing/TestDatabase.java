package dev.ferry.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One database on an embedded server, with small helpers for seeding and checking data. */
public final class TestDatabase {
  /** The server engine behind the database. */
  public enum Engine {
    POSTGRESQL,
    MARIADB
  }

  private final Engine engine;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String name;

  TestDatabase(Engine engine, String jdbcUrl, String user, String password, String name) {
    this.engine = engine;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.name = name;
  }

  public Engine engine() {
    return engine;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public String name() {
    return name;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  /** Runs each statement in order, failing the test on the first error. */
  public void execute(String... sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed on " + name + ": " + e.getMessage(), e);
    }
  }

  /** The rows of a query as lists of JDBC objects, in the query's order. */
  public List<List<Object>> query(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed on " + name + ": " + e.getMessage(), e);
    }
  }

  /** The single value of a one-row, one-column query. */
  public Object scalar(String sql) {
    List<List<Object>> rows = query(sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + " but got " + rows);
    }
    return rows.get(0).get(0);
  }

  public long count(String table) {
    return ((Number) scalar("SELECT count(*) FROM " + table)).longValue();
  }
}
