package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The servers' own comparison of the rows in buckets whose checksums differ: each database
 * computes, in SQL, every such row's canonical key and each compared column's canonical text
 * (the very texts its bucket checksum hashed), and the texts are compared key by key here. No
 * value passes through ferry's column readers, so a read path that loses information (a
 * charset decoded otherwise than the server decodes it, a float rounded by a text protocol)
 * cannot make two different rows look equal: the row-level join may call a row a match, this
 * check still names its key and the columns whose texts differ.
 *
 * <p>Usage, after the row-level join of the differing buckets:
 *
 * <pre>{@code
 * BucketComparison compared = BucketComparison.compute(source, target, plan, bucketing, ranges);
 * ServerRowCheck.Result seen = ServerRowCheck.of(source, target, canonicalizer, plan, bucketing)
 *     .run(compared.differing(), sourceConnections, targetConnections);
 * }</pre>
 *
 * Reads only; holds one range's selected rows of both sides (texts, not values) at a time.
 */
public final class ServerRowCheck {
  /** The name under which a natively hashed row's single text is reported. */
  public static final String ROW_HASH = "(row hash)";

  /**
   * One key whose rows differ by the servers' texts.
   *
   * @param key the canonical key, as {@link RowCanonicalizer#key} writes it
   * @param columns the differing columns (one row on each side), in compared order
   * @param sourceTexts each differing column's canonical text as the source server computed it
   * @param targetTexts each differing column's canonical text as the target server computed it
   */
  public record Difference(String key, int sourceRows, int targetRows, List<String> columns,
      Map<String, String> sourceTexts, Map<String, String> targetTexts) {
    public Difference {
      columns = List.copyOf(columns);
      sourceTexts = Collections.unmodifiableMap(sourceTexts);
      targetTexts = Collections.unmodifiableMap(targetTexts);
    }

    /** The class the row-level comparison gives such a key. */
    public KeyClass kind() {
      if (sourceRows == 0) {
        return KeyClass.EXTRA;
      }
      if (targetRows == 0) {
        return KeyClass.MISSING;
      }
      return sourceRows > 1 || targetRows > 1 ? KeyClass.DUPLICATE : KeyClass.MISMATCHED;
    }

    /** The key as a row-level verdict. */
    public KeyOutcome asOutcome() {
      return new KeyOutcome(key, kind(), sourceRows, targetRows,
          kind() == KeyClass.MISMATCHED ? columns : List.of(), null);
    }

    @Override
    public String toString() {
      return kind().label() + " " + key + " " + columns + ": source " + sourceTexts
          + ", target " + targetTexts;
    }
  }

  private final SideTexts source;
  private final SideTexts target;
  private final List<String> names;

  private ServerRowCheck(SideTexts source, SideTexts target, List<String> names) {
    this.source = source;
    this.target = target;
    this.names = names;
  }

  /**
   * A check of the buckets that {@code plan} and {@code bucketing} checksummed. Native row hashes
   * have no column texts; the canonical texts of the same columns are compared instead where
   * both engines have them, else the row hash alone.
   */
  public static ServerRowCheck of(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, PushdownPlan plan, Bucketing bucketing) {
    Objects.requireNonNull(bucketing, "bucketing");
    if (!Objects.requireNonNull(plan, "plan").available()) {
      throw new IllegalArgumentException("no SQL checksums: " + plan.problem());
    }
    PushdownPlan texts = plan;
    List<String> names = canonicalizer.columnNames();
    if (plan.nativeHashes()) {
      PushdownPlan canonical = PushdownPlan.plan(source, target, canonicalizer, false);
      if (canonical.available()) {
        texts = canonical;
      } else {
        names = List.of(ROW_HASH);
      }
    }
    return new ServerRowCheck(new SideTexts(source, plan, texts, bucketing),
        new SideTexts(target, plan, texts, bucketing), names);
  }

  /** What the servers' texts show. */
  public static final class Result {
    private final List<Difference> differences;
    private final List<RangeSelection> unexplained;

    Result(List<Difference> differences, List<RangeSelection> unexplained) {
      this.differences = List.copyOf(differences);
      this.unexplained = List.copyOf(unexplained);
    }

    /** The keys that differ, in range and key order. */
    public List<Difference> differences() {
      return differences;
    }

    /**
     * Selections whose checksums differed although no row's texts do now: the table changed
     * between the checksums and this check. Such a range is not proven equal.
     */
    public List<RangeSelection> unexplained() {
      return unexplained;
    }
  }

  /** Compares the servers' texts of every selected bucket. */
  public Result run(List<RangeSelection> selections, SideConnections sourceConnections,
      SideConnections targetConnections) throws SQLException {
    List<Difference> out = new ArrayList<>();
    List<RangeSelection> unexplained = new ArrayList<>();
    for (RangeSelection selection : selections) {
      Map<String, List<String[]>> s = read(source, selection, sourceConnections);
      Map<String, List<String[]>> t = read(target, selection, targetConnections);
      TreeSet<String> keys = new TreeSet<>(s.keySet());
      keys.addAll(t.keySet());
      int before = out.size();
      for (String key : keys) {
        Difference d = compare(key, s.getOrDefault(key, List.of()),
            t.getOrDefault(key, List.of()));
        if (d != null) {
          out.add(d);
        }
      }
      if (out.size() == before) {
        unexplained.add(selection);
      }
    }
    return new Result(out, unexplained);
  }

  private Difference compare(String key, List<String[]> s, List<String[]> t) {
    if (s.size() != 1 || t.size() != 1) {
      return new Difference(key, s.size(), t.size(), List.of(), Map.of(), Map.of());
    }
    List<String> columns = new ArrayList<>();
    Map<String, String> sourceTexts = new LinkedHashMap<>();
    Map<String, String> targetTexts = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (!Objects.equals(s.get(0)[i], t.get(0)[i])) {
        columns.add(names.get(i));
        sourceTexts.put(names.get(i), s.get(0)[i]);
        targetTexts.put(names.get(i), t.get(0)[i]);
      }
    }
    return columns.isEmpty() ? null
        : new Difference(key, 1, 1, columns, sourceTexts, targetTexts);
  }

  /**
   * One side's SQL, built once: the select list of canonical key and column texts over its
   * relation, and the WHERE clauses of a selection.
   */
  private static final class SideTexts {
    final ReconcileSide side;
    final String select;
    final SelectionQueries queries;

    SideTexts(ReconcileSide side, PushdownPlan plan, PushdownPlan texts, Bucketing bucketing) {
      this.side = side;
      Dialect d = side.dialect();
      List<String> columns = texts.columnTexts(side);
      StringBuilder sql = new StringBuilder("SELECT ").append(texts.keySql(side));
      for (String text : columns == null ? List.of(plan.rowHashSql(side)) : columns) {
        sql.append(", ").append(text);
      }
      this.select = sql.append(" FROM ").append(side.relation().fromClause(d))
          .append(" WHERE ").toString();
      this.queries = new SelectionQueries(new KeyPredicates(d, side.rangeKeyColumns()),
          bucketing, bucketing.byValue() ? null : plan.bucketSql(side, bucketing));
    }
  }

  /** One side's selected rows: canonical key to the rows' column texts. */
  private Map<String, List<String[]>> read(SideTexts sql, RangeSelection selection,
      SideConnections connections) throws SQLException {
    Map<String, List<String[]>> rows = new HashMap<>();
    connections.with(c -> {
      for (SelectionQueries.Query q : sql.queries.of(selection)) {
        read(c, sql.side, sql.select + q.where, q.params, rows);
      }
      return null;
    });
    return rows;
  }

  private void read(Connection c, ReconcileSide side, String sql, List<Object> params,
      Map<String, List<String[]>> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        KeyBinding.bind(ps, i + 1, params.get(i), side.dialect());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String[] values = new String[names.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = rs.getString(i + 2);
          }
          rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>(1)).add(values);
        }
      }
    } catch (SQLException e) {
      throw new SQLException("the " + side.role() + "'s own comparison of "
          + side.displayName() + " at " + side.endpoint() + " failed: "
          + side.endpoint().redact(e.getMessage()), e.getSQLState(), e.getErrorCode());
    }
  }
}
