package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.PostgresRowHash;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.SqlCanonical;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL each side runs to compute its bucket checksums in the database: the canonical row text
 * whose MD5 is summed, and the canonical key text that hash buckets are computed from. Exists
 * only when both engines can produce the same canonical text for every compared column, and the
 * source mapping copies every compared column unchanged; otherwise {@link #problem()} says which
 * column stands in the way and the checksums are computed in the pipeline.
 */
public final class PushdownPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SqlCanonical.Form sourceRow;
  private final SqlCanonical.Form targetRow;
  private final SqlCanonical.Form sourceKey;
  private final SqlCanonical.Form targetKey;
  private final String problem;

  private PushdownPlan(SqlCanonical.Form sourceRow, SqlCanonical.Form targetRow,
      SqlCanonical.Form sourceKey, SqlCanonical.Form targetKey, String problem) {
    this.sourceRow = sourceRow;
    this.targetRow = targetRow;
    this.sourceKey = sourceKey;
    this.targetKey = targetKey;
    this.problem = problem;
  }

  /** Plans the SQL for both sides, or records why there can be none; no native hashes. */
  public static PushdownPlan plan(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer) {
    return plan(source, target, canonicalizer, false);
  }

  /**
   * Plans the SQL for both sides, or records why there can be none. With {@code nativeHashes}
   * (both servers hash alike: {@link #hashesAlike}), PostgreSQL on both sides with identical
   * column types hashes rows with the types' own hash functions.
   */
  public static PushdownPlan plan(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, boolean nativeHashes) {
    Layout compared = canonicalizer.layout();
    List<Column> sourceColumns = source.plainColumnsFor(compared);
    if (sourceColumns == null) {
      return unavailable("the source mapping converts or computes columns; only plain copies and"
          + " renames can be checked in SQL");
    }
    List<Column> targetColumns = target.plainColumnsFor(compared);
    Dialect sd = source.dialect();
    Dialect td = target.dialect();
    if (nativeHashes && sd == Dialect.POSTGRESQL && td == Dialect.POSTGRESQL
        && canonicalizer.floatTolerance() == 0) {
      SqlCanonical.Form sourceNative = PostgresRowHash.of(sourceColumns,
          targetColumns);
      if (sourceNative.available()) {
        return withKeys(canonicalizer, compared, sourceColumns, targetColumns, sd, td,
            sourceNative, PostgresRowHash.of(targetColumns, sourceColumns));
      }
    }
    SqlCanonical.Form sourceRow = canonicalizer.sqlRow(sd, sourceColumns, td, targetColumns);
    if (!sourceRow.available()) {
      return unavailable("source " + sourceRow.problem());
    }
    SqlCanonical.Form targetRow = canonicalizer.sqlRow(td, targetColumns, sd, sourceColumns);
    if (!targetRow.available()) {
      return unavailable("target " + targetRow.problem());
    }
    return withKeys(canonicalizer, compared, sourceColumns, targetColumns, sd, td, sourceRow,
        targetRow);
  }

  private static PushdownPlan withKeys(RowCanonicalizer canonicalizer, Layout compared,
      List<Column> sourceColumns, List<Column> targetColumns, Dialect sd, Dialect td,
      SqlCanonical.Form sourceRow, SqlCanonical.Form targetRow) {
    List<Column> sourceKeys = keyColumns(canonicalizer, compared, sourceColumns);
    List<Column> targetKeys = keyColumns(canonicalizer, compared, targetColumns);
    SqlCanonical.Form sourceKey = canonicalizer.sqlKey(sd, sourceKeys, td, targetKeys);
    SqlCanonical.Form targetKey = canonicalizer.sqlKey(td, targetKeys, sd, sourceKeys);
    if (!sourceKey.available() || !targetKey.available()) {
      return unavailable("key " + (sourceKey.available() ? targetKey : sourceKey).problem());
    }
    return new PushdownPlan(sourceRow, targetRow, sourceKey, targetKey, null);
  }

  /** A plan that records why the checksums must be computed in the pipeline. */
  public static PushdownPlan unavailable(String problem) {
    return new PushdownPlan(null, null, null, null, problem);
  }

  private static List<Column> keyColumns(RowCanonicalizer canonicalizer, Layout compared,
      List<Column> sideColumns) {
    List<Column> out = new ArrayList<>();
    for (String key : canonicalizer.keyNames()) {
      out.add(sideColumns.get(compared.indexOf(key)));
    }
    return out;
  }

  /**
   * Why a server cannot run the SQL form, or null when it can: PostgreSQL must be 13 or newer
   * (trim_scale) and store text as UTF-8 (md5 hashes the stored bytes).
   */
  public static String serverProblem(JdbcEndpoint endpoint) throws SQLException {
    return Server.probe(endpoint).problem();
  }

  /**
   * True when both endpoints are PostgreSQL servers that hash every type of
   * {@link PostgresRowHash#of} to the same value: the same probe row hashes alike on
   * both (PostgreSQL 14 or newer; hash functions may differ between versions and platforms).
   */
  public static boolean hashesAlike(JdbcEndpoint a, JdbcEndpoint b) throws SQLException {
    return Server.probe(a).hashesAlike(Server.probe(b));
  }

  // A value of every type PostgresRowHash.valueHash hashes by the type's own function, a
  // NULL, and a float and a jsonb hashed as their text, combined the way a row's are.
  private static final String PROBE_HASH = probeHash(new String[][] {
      {"int2", "1::int2"}, {"int4", "2::int4"}, {"int8", "3::int8"}, {"numeric", "2.5::numeric"},
      {"bool", "true"}, {"text", "'é'::text"}, {"varchar", "'x'::varchar"},
      {"date", "date '2000-01-02'"}, {"time", "time '03:04:05.678'"},
      {"timestamp", "timestamp '2000-01-02 03:04:05.678'"},
      {"timestamptz", "timestamptz '2000-01-02 03:04:05.678+00'"},
      {"uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid"}, {"bytea", "'\\x0102'::bytea"},
      {"int4", "NULL::int4"}, {"float8", "'-0'::float8"}, {"jsonb", "'{\"a\": [1]}'::jsonb"}});

  private static String probeHash(String[][] values) {
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      hashes.add(PostgresRowHash.valueHash(values[i][0], values[i][1], i + 1));
    }
    return "SELECT " + String.join(" # ", hashes);
  }

  /**
   * What one server can do for the SQL forms ({@link #serverProblem}, {@link #hashesAlike}),
   * asked over a single connection.
   */
  public static final class Server {
    private final String problem;
    private final Long probeHash;

    private Server(String problem, Long probeHash) {
      this.problem = problem;
      this.probeHash = probeHash;
    }

    public static Server probe(JdbcEndpoint endpoint) throws SQLException {
      try (SideConnections connections = new SideConnections(endpoint)) {
        return probe(connections);
      }
    }

    /** {@link #probe(JdbcEndpoint)} over a connection of {@code connections}, given back. */
    public static Server probe(SideConnections connections) throws SQLException {
      if (connections.endpoint().dialect() != Dialect.POSTGRESQL) {
        return new Server(null, null);
      }
      return connections.with(c -> ask(connections.endpoint(), c));
    }

    private static Server ask(JdbcEndpoint endpoint, Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        String encoding;
        int version;
        try (ResultSet rs = s.executeQuery("SELECT current_setting('server_encoding'),"
            + " current_setting('server_version_num')::int")) {
          rs.next();
          encoding = rs.getString(1);
          version = rs.getInt(2);
        }
        if (!encoding.equalsIgnoreCase("UTF8")) {
          return new Server(endpoint + " stores text as " + encoding + ", not UTF8", null);
        }
        if (version < 130000) {
          return new Server(endpoint + " is older than PostgreSQL 13", null);
        }
        if (version < 140000) {
          return new Server(null, null);
        }
        try (ResultSet h = s.executeQuery(PROBE_HASH)) {
          h.next();
          return new Server(null, h.getLong(1));
        }
      }
    }

    /** Why this server cannot run the SQL form, or null when it can. */
    public String problem() {
      return problem;
    }

    /** True when both are PostgreSQL 14+ servers whose probe rows hash alike. */
    public boolean hashesAlike(Server other) {
      return probeHash != null && probeHash.equals(other.probeHash);
    }
  }

  public boolean available() {
    return problem == null;
  }

  /** True when rows are hashed by PostgreSQL's own type hashes ({@link #hashesAlike}). */
  public boolean nativeHashes() {
    return problem == null && sourceRow.hashed();
  }

  /** The SQL of one row's 64-bit native hash on {@code side} ({@link #nativeHashes} only). */
  String rowHashSql(ReconcileSide side) {
    if (!nativeHashes()) {
      throw new IllegalStateException("no native row hashes: " + this);
    }
    return (isSource(side) ? sourceRow : targetRow).texts().get(0);
  }

  /** The canonical key text ({@link RowCanonicalizer#key}) as SQL on {@code side}. */
  String keySql(ReconcileSide side) {
    check();
    return (isSource(side) ? sourceKey : targetKey).sql();
  }

  /**
   * Each compared column's canonical text as SQL on {@code side}, in the compared order; null
   * when rows are hashed natively, without texts.
   */
  List<String> columnTexts(ReconcileSide side) {
    check();
    SqlCanonical.Form row = isSource(side) ? sourceRow : targetRow;
    return row.hashed() ? null : row.texts();
  }

  /** Why the checksums cannot be computed in SQL, or null. */
  public String problem() {
    return problem;
  }

  private boolean isSource(ReconcileSide side) {
    return side.role().equals("source");
  }

  /**
   * The grouped checksum query of one range on {@code side}: row count and the four 28-bit
   * piece sums of the row hashes per bucket. Canonical texts and hashes are computed once per
   * row in fenced subqueries; {@code rangeWhere} selects the range.
   */
  String digestQuery(ReconcileSide side, Bucketing bucketing, boolean nullKeys,
      String rangeWhere) {
    check();
    Dialect d = side.dialect();
    SqlCanonical.Form row = isSource(side) ? sourceRow : targetRow;
    SqlCanonical.Form key = isSource(side) ? sourceKey : targetKey;
    if (d == Dialect.MYSQL) {
      return mysqlDigestQuery(side, bucketing, nullKeys, rangeWhere, row, key);
    }
    StringBuilder inner = new StringBuilder("SELECT ")
        .append(d.quote(side.relation().keyColumns().get(0))).append(" AS ferry_key");
    List<String> rowAliases = aliases("ferry_c", row.texts().size());
    for (int i = 0; i < rowAliases.size(); i++) {
      inner.append(", ").append(row.texts().get(i)).append(" AS ").append(rowAliases.get(i));
    }
    List<String> keyAliases = aliases("ferry_k", key.texts().size());
    if (!bucketing.byValue()) {
      for (int i = 0; i < keyAliases.size(); i++) {
        inner.append(", ").append(key.texts().get(i)).append(" AS ").append(keyAliases.get(i));
      }
    }
    inner.append(" FROM ").append(side.relation().fromClause(d)).append(" WHERE ")
        .append(rangeWhere).append(SqlCanonical.fence(d));
    // NULL keys have no bucket of their own: the whole NULL-key range is one bucket.
    String bucket = nullKeys ? "0"
        : bucketing.sql(d, "ferry_key", key.encodedOver(keyAliases));
    if (row.hashed()) {
      // Two 31-bit pieces of the 64-bit hash, summed as exact integers: lanes 1 and 2.
      return "SELECT ferry_bucket, count(*), sum((ferry_hash & 2147483647)::int),"
          + " sum(((ferry_hash >> 31) & 2147483647)::int) FROM (SELECT " + bucket
          + " AS ferry_bucket, " + rowAliases.get(0) + " AS ferry_hash FROM (" + inner
          + ") ferry_texts) ferry_hashes GROUP BY ferry_bucket";
    }
    String hashes = "SELECT " + bucket + " AS ferry_bucket, "
        + SqlCanonical.md5(d, row.encodedOver(rowAliases)) + " AS ferry_hash FROM (" + inner
        + ") ferry_texts" + SqlCanonical.fence(d);
    return md5Digests(d, hashes);
  }

  /**
   * Row count and the four 28-bit piece sums per bucket over {@code hashes}, a query of
   * {@code ferry_bucket} and {@code ferry_hash} (hex MD5) per row.
   */
  private static String md5Digests(Dialect d, String hashes) {
    StringBuilder query = new StringBuilder("SELECT ferry_bucket, count(*)");
    for (int piece = 1; piece <= 4; piece++) {
      query.append(", ").append(SqlCanonical.pieceSum(d, "ferry_hash", piece));
    }
    return query.append(" FROM (").append(hashes).append(") ferry_hashes GROUP BY ferry_bucket")
        .toString();
  }

  /**
   * {@link #digestQuery} for MySQL and MariaDB, which materialize every fenced derived table: the
   * texts are written in place inside the hash (each evaluated where it is referenced), and only
   * the bucket and the hash go through the one derived table that keeps the hash from being
   * computed once per piece. Materializing the texts cost more than evaluating them twice.
   */
  private static String mysqlDigestQuery(ReconcileSide side, Bucketing bucketing,
      boolean nullKeys, String rangeWhere, SqlCanonical.Form row, SqlCanonical.Form key) {
    Dialect d = side.dialect();
    String bucket = nullKeys ? "0"
        : bucketing.sql(d, d.quote(side.relation().keyColumns().get(0)), key.sql());
    return md5Digests(d, "SELECT " + bucket + " AS ferry_bucket, "
        + SqlCanonical.md5(d, row.sql()) + " AS ferry_hash FROM "
        + side.relation().fromClause(d) + " WHERE " + rangeWhere + SqlCanonical.fence(d));
  }

  /**
   * One row of {@link #digestQuery}'s result as its bucket's digest. Both sides use the same
   * form, so their digests compare; the lanes of the MD5 form also equal the pipeline's.
   */
  Digest bucketDigest(ReconcileSide side, ResultSet rs) throws SQLException {
    long count = rs.getLong(2);
    if ((isSource(side) ? sourceRow : targetRow).hashed()) {
      return new Digest(count, rs.getLong(3), rs.getLong(4));
    }
    // Two 28-bit piece sums make one lane: (high << 28) + low, modulo 2^64.
    return new Digest(count, (rs.getLong(3) << 28) + rs.getLong(4),
        (rs.getLong(5) << 28) + rs.getLong(6));
  }

  private static List<String> aliases(String prefix, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  /** The bucket of each row as SQL over the table's own columns on {@code side}. */
  String bucketSql(ReconcileSide side, Bucketing bucketing) {
    check();
    Dialect d = side.dialect();
    String keyColumn = d.quote(side.relation().keyColumns().get(0));
    return bucketing.sql(d, keyColumn, (isSource(side) ? sourceKey : targetKey).sql());
  }

  private void check() {
    if (problem != null) {
      throw new IllegalStateException("no SQL checksum: " + problem);
    }
  }

  @Override
  public String toString() {
    if (problem != null) {
      return "checksums in the pipeline: " + problem;
    }
    return nativeHashes() ? "checksums in SQL (native row hashes)" : "checksums in SQL";
  }
}
