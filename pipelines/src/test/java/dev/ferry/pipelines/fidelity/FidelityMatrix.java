package dev.ferry.pipelines.fidelity;

import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of edge values, one column per source type, copied by ferry and then compared cell by
 * cell. Every row holds one value in one column (NULL elsewhere), so a dead-lettered row names
 * exactly one cell. Each value's canonical text is computed in SQL by the source server and by
 * the target server; the test only compares the two texts (numbers as exact decimals, so that
 * {@code 1e38} and {@code 1e+38} agree, with the sign of zero kept; JSON documents normalised by
 * PostgreSQL's jsonb, which keeps every digit). Nothing of ferry is on the comparison path.
 *
 * <p>A cell's expected outcome is one of: {@code exact}; {@code dead:<reason>}, the row is in
 * the dead letters with a reason that contains the text and names the table, the key and the
 * column; {@code =<text>: <why>}, a conversion that type-mapping.md documents, the target's
 * canonical text being {@code <text>}.
 */
final class FidelityMatrix {
  /** How canonical texts compare. */
  enum Compare {
    TEXT,
    NUMBER,
    JSON
  }

  /** One source type: its column, target type, canonical SQL on each side and edge values. */
  record Column(String name, String sourceType, String targetType, String sourceCanon,
      String targetCanon, Compare compare, List<Value> values) {}

  /** One edge value as a SQL literal of the source; {@code lenient}: inserted without strict mode. */
  record Value(String literal, String label, String expect, boolean lenient) {}

  /** The observed outcome of one cell, and whether it is what was expected. */
  record Outcome(Column column, Value value, long id, String result, String problem) {}

  private final TestDatabase source;
  private final TestDatabase target;
  private final String table;
  private final List<Column> columns = new ArrayList<>();

  FidelityMatrix(TestDatabase source, TestDatabase target, String table) {
    this.source = source;
    this.target = target;
    this.table = table;
  }

  /** Adds a column; {@code values} are triples: literal, label (null: the literal), expectation. */
  FidelityMatrix column(String name, String sourceType, String targetType, String sourceCanon,
      String targetCanon, Compare compare, Value... values) {
    columns.add(new Column(name, sourceType, targetType, sourceCanon, targetCanon, compare,
        List.of(values)));
    return this;
  }

  static Value v(String literal, String expect) {
    return new Value(literal, null, expect, false);
  }

  static Value v(String literal, String label, String expect) {
    return new Value(literal, label, expect, false);
  }

  /** A value only a non-strict sql_mode accepts (zero dates, the invalid ENUM value ''). */
  static Value lenient(String literal, String expect) {
    return new Value(literal, null, expect, true);
  }

  static Value lenient(String literal, String label, String expect) {
    return new Value(literal, label, expect, true);
  }

  List<Column> columns() {
    return columns;
  }

  /** CREATE TABLE on {@code db} with each column's source or target type. */
  String createTable(boolean sourceSide) {
    StringBuilder sql = new StringBuilder("CREATE TABLE " + table + " (id int PRIMARY KEY");
    for (Column c : columns) {
      sql.append(", ").append(c.name()).append(' ')
          .append(sourceSide ? c.sourceType() : c.targetType());
    }
    return sql.append(')').toString();
  }

  /** Creates the source table and inserts one row per value, ids from 1; row 0 is all NULL. */
  void seedSource() throws SQLException {
    boolean maria = source.engine() == TestDatabase.Engine.MARIADB;
    try (Connection c = source.connect(); Statement s = c.createStatement()) {
      if (maria) {
        s.execute("SET time_zone = '+00:00'");
      }
      s.execute(createTable(true));
      s.execute("INSERT INTO " + table + " (id) VALUES (0)");
      long id = 1;
      for (Column column : columns) {
        for (Value value : column.values()) {
          if (value.lenient()) {
            s.execute("SET SESSION sql_mode = ''");
          }
          s.execute("INSERT INTO " + table + " (id, " + column.name() + ") VALUES (" + id++
              + ", " + value.literal() + ")");
          if (value.lenient()) {
            s.execute("SET SESSION sql_mode = DEFAULT");
          }
        }
      }
    }
  }

  /** Every cell's outcome, after the copy; NULLs (row 0) are checked too. */
  List<Outcome> compare() throws SQLException {
    Map<Long, String[]> dead = deadLetters();
    List<Outcome> outcomes = new ArrayList<>();
    long id = 1;
    for (Column column : columns) {
      Map<Long, String> src = canonical(source, column.sourceCanon(), column.name());
      Map<Long, String> dst = canonical(target, column.targetCanon(), column.name());
      List<Value> values = new ArrayList<>(column.values());
      values.add(0, new Value("NULL", null, "exact", false));
      for (int i = 0; i < values.size(); i++) {
        long rowId = i == 0 ? 0 : id++;
        outcomes.add(outcome(column, values.get(i), rowId, src, dst, dead));
      }
    }
    return outcomes;
  }

  private Outcome outcome(Column column, Value value, long id, Map<Long, String> src,
      Map<Long, String> dst, Map<Long, String[]> dead) throws SQLException {
    String expect = value.expect();
    String[] letter = dead.get(id);
    if (!dst.containsKey(id)) {
      if (letter == null) {
        return new Outcome(column, value, id, "LOST", "row " + id + " is neither in the target"
            + " nor in the dead letters");
      }
      String result = "dead-lettered (" + letter[1] + ")";
      if (!expect.startsWith("dead:")) {
        return new Outcome(column, value, id, result, "expected " + expect);
      }
      // A row the target database rejected has no column of its own; its error names it.
      boolean named = (column.name().equals(letter[0]) || letter[0] == null)
          && letter[1].contains(column.name()) && letter[1].contains(table)
          && letter[2].contains("\"id\":" + id);
      if (!named || !letter[1].contains(expect.substring(5))) {
        return new Outcome(column, value, id, result, "expected a reason with '"
            + expect.substring(5) + "' naming table, key and column; got column " + letter[0]
            + ", key " + letter[2]);
      }
      return new Outcome(column, value, id, result, null);
    }
    String s = src.get(id);
    String t = dst.get(id);
    if (letter != null && id != 0) {
      return new Outcome(column, value, id, "written and dead-lettered", "both");
    }
    if (expect.startsWith("=")) {
      String wanted = expect.substring(1, expect.indexOf(": "));
      String why = expect.substring(expect.indexOf(": ") + 2);
      boolean ok = wanted.equals(String.valueOf(t));
      return new Outcome(column, value, id, "converted: " + why, ok ? null
          : "expected target " + wanted + ", got " + t);
    }
    if (same(column.compare(), s, t)) {
      return new Outcome(column, value, id, "exact", expect.equals("exact") ? null
          : "expected " + expect);
    }
    return new Outcome(column, value, id, "CHANGED", "source " + s + ", target " + t);
  }

  private boolean same(Compare compare, String s, String t) throws SQLException {
    if (s == null || t == null) {
      return s == t;
    }
    switch (compare) {
      case NUMBER:
        if (s.equals(t)) {
          return true;
        }
        try {
          return new BigDecimal(s).compareTo(new BigDecimal(t)) == 0
              && s.startsWith("-") == t.startsWith("-");
        } catch (NumberFormatException e) {
          return false;
        }
      case JSON:
        return jsonb(s).equals(jsonb(t));
      default:
        return s.equals(t);
    }
  }

  /** The document as PostgreSQL's jsonb prints it: keys sorted, numbers with every digit. */
  private String jsonb(String document) throws SQLException {
    TestDatabase pg = target.engine() == TestDatabase.Engine.POSTGRESQL ? target : source;
    try (Connection c = pg.connect();
        PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
      ps.setString(1, document);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** id → the canonical text of the column, computed by the server; NULL stays null. */
  private Map<Long, String> canonical(TestDatabase db, String expression, String column)
      throws SQLException {
    Map<Long, String> values = new LinkedHashMap<>();
    String sql = "SELECT id, " + expression.replace("$c", column) + " FROM " + table;
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      if (db.engine() == TestDatabase.Engine.MARIADB) {
        s.execute("SET time_zone = '+00:00'");
      }
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          values.put(rs.getLong(1), rs.getString(2));
        }
      }
    }
    return values;
  }

  /** id → {column, error, row key} of every dead letter in the target database. */
  private Map<Long, String[]> deadLetters() {
    Map<Long, String[]> dead = new LinkedHashMap<>();
    for (List<Object> row : target.query(
        "SELECT row_key, column_name, error FROM ferry_dead_letter")) {
      String key = (String) row.get(0);
      long id = Long.parseLong(key.replaceAll("[^0-9]", ""));
      dead.put(id, new String[] {(String) row.get(1), (String) row.get(2), key});
    }
    return dead;
  }

  /**
   * The outcomes as a Markdown table, one row per source type: its edge values, its target type
   * and the result (exact, or the values that were dead-lettered or converted, and why).
   */
  static String markdown(List<Outcome> outcomes) {
    StringBuilder md = new StringBuilder(
        "| source type | edge values | target type | result |\n|---|---|---|---|\n");
    Map<Column, List<Outcome>> byColumn = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      if (o.id() != 0) {
        byColumn.computeIfAbsent(o.column(), c -> new ArrayList<>()).add(o);
      }
    }
    for (Map.Entry<Column, List<Outcome>> e : byColumn.entrySet()) {
      List<String> labels = new ArrayList<>();
      List<String> notExact = new ArrayList<>();
      for (Outcome o : e.getValue()) {
        String label = label(o.value());
        labels.add(label);
        if (!o.result().equals("exact")) {
          notExact.add(label + ": " + shortReason(o.result()));
        }
      }
      String result = notExact.isEmpty() ? "exact"
          : (notExact.size() < labels.size() ? "exact, except " : "") + String.join("; ", notExact);
      md.append("| `").append(e.getKey().sourceType()).append("` | ")
          .append(cell(String.join(", ", labels))).append(" | `")
          .append(e.getKey().targetType()).append("` | ").append(cell(result)).append(" |\n");
    }
    return md.toString();
  }

  private static String label(Value v) {
    String label = v.label() != null ? v.label() : v.literal();
    return label.length() > 48 ? label.substring(0, 45) + "..." : label;
  }

  /** A reason without the table and column the matrix row already names, and short. */
  private static String shortReason(String result) {
    String r = result.replaceAll("(target|table) \\w+, column \\w+: ", "")
        .replaceAll("target \\w+ rejected the row: (ERROR: )?", "rejected by the target: ")
        .replaceAll("`t\\d+_\\d+`\\.", "");
    int detail = r.indexOf("Detail:");
    if (detail > 0) {
      r = r.substring(0, detail).trim() + ")";
    }
    return r.length() > 160 ? r.substring(0, 157) + "...)" : r;
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
