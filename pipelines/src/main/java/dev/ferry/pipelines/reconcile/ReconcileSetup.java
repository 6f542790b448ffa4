package dev.ferry.pipelines.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.jdbc.ColumnKinds;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.jdbc.Dialect;
import dev.ferry.map.RecordMapper;
import dev.ferry.pipelines.backfill.BackfillConfig;
import dev.ferry.pipelines.backfill.BackfillPipeline;
import dev.ferry.pipelines.job.JobPlan;
import dev.ferry.pipelines.spec.SpecException;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.KeyRangePlanner;
import dev.ferry.plan.SourceRelation;
import dev.ferry.reconcile.BinaryKeyOrder;
import dev.ferry.reconcile.BothSides;
import dev.ferry.reconcile.PushdownPlan;
import dev.ferry.reconcile.ReconcileSide;
import dev.ferry.reconcile.SideConnections;
import dev.ferry.record.Column;
import dev.ferry.record.Layout;
import dev.ferry.write.TargetTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a reconcile needs before its pipeline exists, worked out the way the backfill works
 * it out (same spec, same key detection, same compiled mapping, same target table), so that the
 * comparison is against what the backfill should have written: both sides, the canonicalizer,
 * the key ranges, and for the fast path the buckets and the SQL checksum plan. It also holds a
 * connection to each side for what the launcher reads itself (checksums, a join of a few
 * differing buckets, the report's examples), opened by the first question to each server and
 * closed with the setup: every connect costs a SCRAM handshake.
 */
final class ReconcileSetup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileSetup.class);
  private static final int MAX_HASH_BUCKETS = 65_536;

  final SourceRelation relation;
  final RecordMapper mapper;
  final TargetTable target;
  final ReconcileSide sourceSide;
  final ReconcileSide targetSide;
  final RowCanonicalizer canonicalizer;
  final List<KeyRange> ranges;
  final Bucketing bucketing;
  /**
   * The buckets the servers' own check compares when SQL checksums exist: the fast path's, or
   * for a full comparison buckets of the same size planned for that check alone; else null.
   */
  final Bucketing checkBucketing;
  final PushdownPlan pushdown;
  final SideConnections sourceConnections;
  final SideConnections targetConnections;

  private ReconcileSetup(SourceRelation relation, RecordMapper mapper, TargetTable target,
      ReconcileSide sourceSide, ReconcileSide targetSide, RowCanonicalizer canonicalizer,
      List<KeyRange> ranges, Bucketing bucketing, Bucketing checkBucketing,
      PushdownPlan pushdown, SideConnections sourceConnections,
      SideConnections targetConnections) {
    this.relation = relation;
    this.mapper = mapper;
    this.target = target;
    this.sourceSide = sourceSide;
    this.targetSide = targetSide;
    this.canonicalizer = canonicalizer;
    this.ranges = ranges;
    this.bucketing = bucketing;
    this.checkBucketing = checkBucketing;
    this.pushdown = pushdown;
    this.sourceConnections = sourceConnections;
    this.targetConnections = targetConnections;
  }

  static ReconcileSetup prepare(BackfillConfig config, ReconcileSettings settings)
      throws SQLException {
    SideConnections sourceConnections = new SideConnections(config.source);
    SideConnections targetConnections = new SideConnections(config.target);
    // Both servers are asked what SQL they can run while the tables are described; each probe
    // opens the connection that the later steps reuse.
    BothSides<PushdownPlan.Server> servers = BothSides.start("server probes",
        () -> PushdownPlan.Server.probe(sourceConnections),
        () -> PushdownPlan.Server.probe(targetConnections));
    try {
      return prepare(config, settings, servers, sourceConnections, targetConnections);
    } catch (SQLException | RuntimeException e) {
      // A probe still running gives its connection back to closed connections, which close it.
      sourceConnections.close();
      targetConnections.close();
      throw e;
    }
  }

  private static ReconcileSetup prepare(BackfillConfig config, ReconcileSettings settings,
      BothSides<PushdownPlan.Server> servers, SideConnections sourceConnections,
      SideConnections targetConnections) throws SQLException {
    JobPlan prepared = BackfillPipeline.prepareSource(config);
    SourceRelation relation = prepared.relation();
    Layout sourceLayout = prepared.sourceLayout();
    RecordMapper mapper = prepared.mapper();
    List<String> rangeKey = new ArrayList<>();
    Map<String, String> keyCopies = new HashMap<>();
    for (String k : relation.keyColumns()) {
      String out = mapper.outputFor(k);
      if (out == null) {
        throw new SpecException(config.origin, "source.key", "the mapping does not carry source"
            + " key column '" + k + "' to a target column, so the two sides cannot be read in"
            + " matching key ranges");
      }
      rangeKey.add(out);
      keyCopies.put(out, k);
    }
    // A target without a unique key is fine here: finding its duplicates is part of the job.
    TargetTable target = BackfillPipeline.describeTarget(config, prepared);
    List<String> targetKey = target.keyColumns();
    Layout compared = target.columns();
    Map<String, String> plain = PlainMapping.of(config.mapping, sourceLayout);
    ReconcileSide sourceSide = ReconcileSide.source(config.source, relation, mapper,
        lookupKey(mapper, sourceLayout, targetKey)).withZeroDatesAsNull(config.zeroDatesAsNull);
    if (plain != null) {
      sourceSide = sourceSide.withPlainColumns(plain);
    }
    if (PlainMapping.copiesUnchanged(config.mapping, keyCopies)) {
      sourceSide = sourceSide.withKeyCopiedUnchanged();
    }
    ReconcileSide targetSide = ReconcileSide.target(config.target, config.targetTable, compared,
        rangeKey, targetKey);
    RowCanonicalizer canonicalizer = RowCanonicalizer.of(compared, config.target.dialect(),
        targetKey, settings.rules, paddedColumns(mapper, sourceLayout));
    PushdownPlan.Server sourceServer = servers.source();
    // The source's connection, free now, plans the ranges and measures the key for the buckets.
    List<KeyRange> ranges = sourceConnections.with(c ->
        plan(c, config, relation, sourceLayout, compared, rangeKey, settings.fastPath));
    // The full comparison uses it too: for row hashes computed in the databases, and for the
    // servers' own check of the result.
    PushdownPlan pushdown = pushdown(sourceSide, targetSide, canonicalizer, sourceServer,
        servers.target());
    boolean serverCheck = settings.sample == null && pushdown.available();
    Bucketing checkBucketing = !settings.fastPath && !serverCheck ? null
        : sourceConnections.with(c -> bucketing(c, config, relation, sourceLayout, compared,
            rangeKey, ranges, settings.bucketRows));
    return new ReconcileSetup(relation, mapper, target, sourceSide, targetSide, canonicalizer,
        ranges, settings.fastPath ? checkBucketing : null, serverCheck ? checkBucketing : null,
        pushdown, sourceConnections, targetConnections);
  }

  /** For each target key column, the source column copied into it; null if one is computed. */
  private static List<String> lookupKey(RecordMapper mapper, Layout source,
      List<String> targetKey) {
    List<String> key = new ArrayList<>();
    for (String t : targetKey) {
      String found = null;
      for (String s : source.names()) {
        if (t.equals(mapper.outputFor(s))) {
          found = s;
          break;
        }
      }
      if (found == null) {
        return null;
      }
      key.add(found);
    }
    return key;
  }

  /** Target columns fed by a source CHAR(n), whose padding the engines treat differently. */
  private static Set<String> paddedColumns(RecordMapper mapper, Layout source) {
    Set<String> padded = new HashSet<>();
    for (Column c : source.columns()) {
      String out = mapper.outputFor(c.name());
      if (out != null && ColumnKinds.isPaddedChar(c)) {
        padded.add(out);
      }
    }
    return padded;
  }

  private static List<KeyRange> plan(Connection c, BackfillConfig config,
      SourceRelation relation, Layout source, Layout compared, List<String> rangeKey,
      boolean fastPath) throws SQLException {
    List<Column> sourceKeys = columns(source, relation.keyColumns());
    List<Column> targetKeys = columns(compared, rangeKey);
    for (int i = 0; i < sourceKeys.size(); i++) {
      if (sourceKeys.get(i).isText() != targetKeys.get(i).isText()) {
        // Text and numbers order differently ('10' < '9'): no cut would hold on both sides.
        LOG.warn("{}: key column {} is text on one side only; comparing in a single range",
            config.job, sourceKeys.get(i).name());
        List<KeyRange> single = new ArrayList<>();
        single.add(KeyRange.between(0, null, null, 0));
        if (sourceKeys.stream().anyMatch(Column::nullable)) {
          single.add(KeyRange.ofNullKeys(1, 0));
        }
        return single;
      }
    }
    if (fastPath && sourceKeys.size() == 1 && integral(sourceKeys.get(0))
        && integral(targetKeys.get(0))) {
      List<KeyRange> dense = DenseKeyRanges.plan(c, config.source.dialect(), relation,
          config.partitions, sourceKeys.get(0).nullable());
      if (dense != null) {
        LOG.info("{}: key {} is dense by the server's row estimate: {} equal-width ranges,"
            + " no keys counted", config.job, sourceKeys.get(0).name(), dense.size());
        return dense;
      }
    }
    List<KeyRange> planned = new KeyRangePlanner(config.source.dialect(), relation,
        config.partitions).plan(c);
    return BinaryKeyOrder.reorder(planned, sourceKeys);
  }

  private static List<Column> columns(Layout layout, List<String> names) {
    List<Column> out = new ArrayList<>();
    for (String n : names) {
      out.add(layout.column(layout.indexOf(n)));
    }
    return out;
  }

  /**
   * Value buckets of about {@code bucketRows} rows for a key led by an integer column on both
   * sides, hash buckets otherwise. A composite key's leading column must span about as many
   * values as there are buckets: a tenant id with five values would make five huge buckets.
   */
  private static Bucketing bucketing(Connection c, BackfillConfig config,
      SourceRelation relation, Layout source, Layout compared, List<String> rangeKey,
      List<KeyRange> ranges, int bucketRows) throws SQLException {
    long rows = Math.max(1, ranges.stream().mapToLong(KeyRange::estimatedRows).sum());
    if (integral(source.column(source.indexOf(relation.keyColumns().get(0))))
        && integral(compared.column(compared.indexOf(rangeKey.get(0))))) {
      Dialect d = config.source.dialect();
      String key = d.quote(relation.keyColumns().get(0));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT min(" + key + "), max(" + key + ") FROM "
              + relation.fromClause(d))) {
        rs.next();
        double span = rs.getObject(1) == null ? 1
            : (double) rs.getLong(2) - (double) rs.getLong(1) + 1;
        if (rangeKey.size() == 1 || span * bucketRows >= rows) {
          long width = (long) Math.max(1, Math.min(Long.MAX_VALUE / 4,
              Math.ceil(span * bucketRows / rows)));
          return Bucketing.byKeyValue(width);
        }
      }
    }
    long perRange = Math.max(1, rows / Math.max(1, ranges.size()));
    return Bucketing.byKeyHash((int) Math.min(MAX_HASH_BUCKETS,
        Math.max(1, (perRange + bucketRows - 1) / bucketRows)));
  }

  private static boolean integral(Column c) {
    int t = c.jdbcType();
    return (t == Types.BIGINT || t == Types.INTEGER || t == Types.SMALLINT || t == Types.TINYINT)
        && !c.typeName().contains("unsigned");
  }

  private static PushdownPlan pushdown(ReconcileSide source, ReconcileSide target,
      RowCanonicalizer canonicalizer, PushdownPlan.Server sourceServer,
      PushdownPlan.Server targetServer) {
    PushdownPlan plan = PushdownPlan.plan(source, target, canonicalizer,
        sourceServer.hashesAlike(targetServer));
    if (!plan.available()) {
      return plan;
    }
    for (PushdownPlan.Server server : List.of(sourceServer, targetServer)) {
      if (server.problem() != null) {
        return PushdownPlan.unavailable(server.problem());
      }
    }
    return plan;
  }

  @Override
  public void close() {
    sourceConnections.close();
    targetConnections.close();
  }
}
