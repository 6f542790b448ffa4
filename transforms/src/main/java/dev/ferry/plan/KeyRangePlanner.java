package dev.ferry.plan;

import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.ColumnReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a source's key space into ranges of roughly equal row counts.
 *
 * <p>A single integer key is split by value: equal-width buckets between its min and max,
 * counted with one grouped query; buckets holding more than twice the mean are split again by row
 * position (skewed ids are common: a few tenants or a bulk import own most rows) and neighbouring
 * small buckets are merged. A composite key that starts with an integer column is split the same
 * way on that column, and each boundary becomes the first whole key at or after the bucket's
 * start, found by one index seek: numbering millions of composite keys in order (below) takes
 * MariaDB tens of seconds, counting by the leading column one scan. Any other key (text, UUID,
 * timestamp, decimal, or composite led by one of those) is split by row position: the database
 * numbers the keys in order and returns every n-th one as a boundary.
 *
 * <p>The first range has no lower bound and the last no upper bound, so keys below the minimum
 * or above the maximum seen at planning time are still covered. When a key column is nullable a
 * separate range collects rows with NULL keys, which are reported, never skipped.
 */
public final class KeyRangePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRangePlanner.class);
  /** Finer rounds inside buckets far above the mean, for a composite key's leading integer. */
  private static final int MAX_REFINE_ROUNDS = 3;
  private static final int MAX_REFINE_PARTS = 1024;

  private final Dialect dialect;
  private final SourceRelation source;
  private final int partitions;

  public KeyRangePlanner(Dialect dialect, SourceRelation source, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    this.dialect = dialect;
    this.source = source;
    this.partitions = partitions;
  }

  public List<KeyRange> plan(Connection connection) throws SQLException {
    KeyTypes keyTypes = keyTypes(connection);
    List<KeyRange> ranges = !keyTypes.integral[0] ? planByPosition(connection)
        : keyTypes.integral.length == 1 ? planIntegerKey(connection)
        : planByLeadingInteger(connection);
    if (keyTypes.anyNullable) {
      long nulls = count(connection, new RangeSql(dialect, source.keyColumns()).where(
          KeyRange.ofNullKeys(0, 0), null, new ArrayList<>()), List.of());
      if (nulls > 0) {
        LOG.warn("{}: {} rows have a NULL key; they are read as their own range and reported",
            source.displayName(), nulls);
      }
      ranges.add(KeyRange.ofNullKeys(ranges.size(), nulls));
    }
    LOG.info("{}: planned {} key ranges", source.displayName(), ranges.size());
    return ranges;
  }

  private static final class KeyTypes {
    boolean[] integral;
    boolean anyNullable;
  }

  private KeyTypes keyTypes(Connection connection) throws SQLException {
    String sql = "SELECT " + dialect.columnList(source.keyColumns()) + " FROM "
        + source.fromClause(dialect) + " WHERE 1 = 0";
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      KeyTypes types = new KeyTypes();
      types.integral = new boolean[md.getColumnCount()];
      for (int i = 1; i <= md.getColumnCount(); i++) {
        int t = md.getColumnType(i);
        boolean unsignedBig = md.getColumnTypeName(i).toUpperCase().contains("BIGINT UNSIGNED");
        types.integral[i - 1] =
            !unsignedBig
                && (t == Types.BIGINT || t == Types.INTEGER || t == Types.SMALLINT
                    || t == Types.TINYINT);
        types.anyNullable |= md.isNullable(i) != ResultSetMetaData.columnNoNulls;
      }
      return types;
    }
  }

  /** The lowest and highest value of an integer column. */
  private record Span(long min, long max) {
    /** The bucket arithmetic (max + 1, max - min) would overflow; positional planning would not. */
    boolean overflows() {
      return max == Long.MAX_VALUE || max - min < 0;
    }
  }

  /** The span of {@code column} over the rows where {@code where} holds (null: all), or null. */
  private Span span(Connection connection, String column, String where) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT min(" + column + "), max(" + column + ") FROM "
            + source.fromClause(dialect) + (where == null ? "" : " WHERE " + where))) {
      rs.next();
      return rs.getObject(1) == null ? null : new Span(rs.getLong(1), rs.getLong(2));
    }
  }

  /** The plan when the key column holds no value (an empty table): one range. */
  private static List<KeyRange> singleRange() {
    List<KeyRange> single = new ArrayList<>();
    single.add(KeyRange.between(0, null, null, 0));
    return single;
  }

  private List<KeyRange> planIntegerKey(Connection connection) throws SQLException {
    String key = dialect.quote(source.keyColumns().get(0));
    Span span = span(connection, key, null);
    if (span == null) {
      return singleRange();
    }
    if (span.overflows()) {
      return planByPosition(connection);
    }
    long min = span.min();
    long max = span.max();
    // Bucket start -> row count, over [min, max]; refined where a bucket is too heavy.
    TreeMap<Long, Long> buckets = countBuckets(connection, key, min, max + 1, partitions);
    long total = buckets.values().stream().mapToLong(Long::longValue).sum();
    double mean = Math.max(1.0, (double) total / partitions);
    // A bucket far above the mean is a dense cluster of ids; split it by row position, which
    // balances any skew in one query instead of ever finer equal-width rounds.
    for (Long start : new ArrayList<>(buckets.keySet())) {
      long rows = buckets.get(start);
      if (rows > 2 * mean) {
        Long next = buckets.higherKey(start);
        long end = next == null ? max + 1 : next;
        buckets.remove(start);
        buckets.putAll(splitByPosition(connection, key, start, end, rows, (long) Math.ceil(mean)));
      }
    }
    // Merge neighbours while they stay under the mean; boundaries are bucket starts.
    List<Long> boundaries = new ArrayList<>();
    List<Long> estimates = new ArrayList<>();
    mergeTowardsMean(buckets, mean, boundaries, estimates);
    List<KeyRange> ranges = new ArrayList<>();
    for (int i = 0; i < boundaries.size(); i++) {
      Object[] lower = i == 0 ? null : new Object[] {boundaries.get(i)};
      Object[] upper = i + 1 < boundaries.size() ? new Object[] {boundaries.get(i + 1)} : null;
      ranges.add(KeyRange.between(i, lower, upper, estimates.get(i)));
    }
    return ranges;
  }

  /**
   * Boundaries every {@code step} rows within [from, to), as buckets keyed by their first key;
   * the first bucket starts at {@code from} so the value range stays covered.
   */
  private TreeMap<Long, Long> splitByPosition(Connection connection, String key, long from,
      long to, long rows, long step) throws SQLException {
    String sql = "SELECT " + key + " FROM (SELECT " + key + ", row_number() OVER (ORDER BY "
        + key + ") AS ferry_rn FROM " + source.fromClause(dialect) + " WHERE " + key
        + " >= ? AND " + key + " < ?) ferry_numbered WHERE ferry_rn > 1 AND MOD(ferry_rn - 1, ?)"
        + " = 0 ORDER BY " + key;
    TreeMap<Long, Long> buckets = new TreeMap<>();
    buckets.put(from, Math.min(step, rows));
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      ps.setLong(3, step);
      try (ResultSet rs = ps.executeQuery()) {
        long remaining = rows - Math.min(step, rows);
        while (rs.next()) {
          long boundary = rs.getLong(1);
          if (boundary > buckets.lastKey()) {
            buckets.put(boundary, Math.min(step, remaining));
            remaining -= Math.min(step, remaining);
          }
        }
      }
    }
    return buckets;
  }

  /** Row counts per equal-width bucket over [from, to), keyed by bucket start; empty omitted. */
  private TreeMap<Long, Long> countBuckets(
      Connection connection, String key, long from, long to, int parts) throws SQLException {
    long width = Math.max(1, (long) Math.ceil(((double) to - from) / parts));
    String div = dialect == Dialect.MYSQL ? " DIV " : " / ";
    String sql = "SELECT (" + key + " - ?)" + div + "? AS b, count(*) FROM "
        + source.fromClause(dialect) + " WHERE " + key + " >= ? AND " + key + " < ? GROUP BY 1";
    TreeMap<Long, Long> buckets = new TreeMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setLong(1, from);
      ps.setLong(2, width);
      ps.setLong(3, from);
      ps.setLong(4, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          buckets.put(from + rs.getLong(1) * width, rs.getLong(2));
        }
      }
    }
    return buckets;
  }

  /**
   * A composite key led by an integer column: equal-width buckets of that column, merged towards
   * equal row counts, each bounded by the first whole key at or after its start. A bucket far
   * heavier than the mean is counted again in finer buckets; one holding many rows under a single
   * leading value stays one range.
   */
  private List<KeyRange> planByLeadingInteger(Connection connection) throws SQLException {
    String lead = dialect.quote(source.keyColumns().get(0));
    RangeSql sql = new RangeSql(dialect, source.keyColumns());
    Span span = span(connection, lead, sql.notNull());
    if (span == null) {
      return singleRange();
    }
    if (span.overflows()) {
      return planByPosition(connection);
    }
    long min = span.min();
    long max = span.max();
    TreeMap<Long, Long> buckets = countBuckets(connection, lead, min, max + 1, partitions);
    long total = buckets.values().stream().mapToLong(Long::longValue).sum();
    double mean = Math.max(1.0, (double) total / partitions);
    // Sparse or clustered leading values: a few finer equal-width rounds inside heavy buckets,
    // each a range scan of that bucket alone (position splitting is what is too slow here).
    for (int round = 0; round < MAX_REFINE_ROUNDS; round++) {
      boolean refined = false;
      for (Long start : new ArrayList<>(buckets.keySet())) {
        long rows = buckets.get(start);
        Long next = buckets.higherKey(start);
        long end = next == null ? max + 1 : next;
        if (rows > 2 * mean && end - start > 1) {
          // Empty buckets are omitted, so [start, end) may be mostly empty: split its extent.
          long[] extent = extent(connection, lead, start, end);
          if (extent[1] > extent[0]) {
            buckets.remove(start);
            int parts = (int) Math.min(MAX_REFINE_PARTS, 2 * Math.ceil(rows / mean));
            buckets.putAll(countBuckets(connection, lead, extent[0], extent[1] + 1, parts));
            refined = true;
          }
        }
      }
      if (!refined) {
        break;
      }
    }
    List<Long> starts = new ArrayList<>();
    List<Long> estimates = new ArrayList<>();
    mergeTowardsMean(buckets, mean, starts, estimates);
    String first = "SELECT " + dialect.columnList(source.keyColumns()) + " FROM "
        + source.fromClause(dialect) + " WHERE " + sql.notNull() + " AND " + lead + " >= ?"
        + sql.orderBy() + " LIMIT 1";
    List<Object[]> boundaries = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(first)) {
      for (int i = 1; i < starts.size(); i++) {
        ps.setLong(1, starts.get(i));
        try (ResultSet rs = ps.executeQuery()) {
          ColumnReader[] readers = ColumnReader.forResultSet(rs.getMetaData(), dialect);
          if (rs.next()) {
            boundaries.add(readKey(rs, readers));
          }
        }
      }
    }
    List<KeyRange> ranges = new ArrayList<>();
    for (int i = 0; i <= boundaries.size(); i++) {
      Object[] lower = i == 0 ? null : boundaries.get(i - 1);
      Object[] upper = i < boundaries.size() ? boundaries.get(i) : null;
      ranges.add(KeyRange.between(i, lower, upper, estimates.get(Math.min(i,
          estimates.size() - 1))));
    }
    return ranges;
  }

  /** The smallest and largest value of {@code column} in [from, to). */
  private long[] extent(Connection connection, String column, long from, long to)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT min(" + column + "), max("
        + column + ") FROM " + source.fromClause(dialect) + " WHERE " + column + " >= ? AND "
        + column + " < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /**
   * Merges neighbouring buckets while they stay under {@code mean}; adds each merged bucket's
   * first start to {@code starts} and its rows to {@code estimates}.
   */
  private static void mergeTowardsMean(TreeMap<Long, Long> buckets, double mean,
      List<Long> starts, List<Long> estimates) {
    long acc = 0;
    for (var e : buckets.entrySet()) {
      if (!starts.isEmpty() && acc > 0 && acc + e.getValue() > mean) {
        starts.add(e.getKey());
        estimates.add(acc);
        acc = 0;
      } else if (starts.isEmpty()) {
        starts.add(e.getKey());
      }
      acc += e.getValue();
    }
    estimates.add(acc);
  }

  private static Object[] readKey(ResultSet rs, ColumnReader[] readers) throws SQLException {
    Object[] key = new Object[readers.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = readers[i].read(rs, i + 1);
    }
    return key;
  }

  private List<KeyRange> planByPosition(Connection connection) throws SQLException {
    RangeSql sql = new RangeSql(dialect, source.keyColumns());
    long total = count(connection, sql.notNull(), List.of());
    long step = Math.max(1, (long) Math.ceil((double) total / partitions));
    String keys = dialect.columnList(source.keyColumns());
    String numbered = "SELECT " + keys + " FROM (SELECT " + keys + ", row_number() OVER ("
        + sql.orderBy().trim() + ") AS ferry_rn FROM " + source.fromClause(dialect) + " WHERE "
        + sql.notNull() + ") ferry_numbered WHERE ferry_rn > 1 AND MOD(ferry_rn - 1, ?) = 0"
        + sql.orderBy();
    List<Object[]> boundaries = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(numbered)) {
      ps.setLong(1, step);
      try (ResultSet rs = ps.executeQuery()) {
        ColumnReader[] readers = ColumnReader.forResultSet(rs.getMetaData(), dialect);
        while (rs.next()) {
          Object[] key = readKey(rs, readers);
          // Many duplicates of one key can repeat a boundary; a range may not be empty-by-design.
          if (boundaries.isEmpty()
              || !java.util.Arrays.deepEquals(boundaries.get(boundaries.size() - 1), key)) {
            boundaries.add(key);
          }
        }
      }
    }
    List<KeyRange> ranges = new ArrayList<>();
    for (int i = 0; i <= boundaries.size(); i++) {
      Object[] lower = i == 0 ? null : boundaries.get(i - 1);
      Object[] upper = i < boundaries.size() ? boundaries.get(i) : null;
      ranges.add(KeyRange.between(i, lower, upper, step));
    }
    return ranges;
  }

  private long count(Connection connection, String where, List<Object> params)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT count(*) FROM " + source.fromClause(dialect) + " WHERE " + where)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
