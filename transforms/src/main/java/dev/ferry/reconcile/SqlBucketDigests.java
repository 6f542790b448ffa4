package dev.ferry.reconcile;

import dev.ferry.digest.Digest;
import dev.ferry.digest.Bucketing;
import dev.ferry.jdbc.Dialect;
import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.plan.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Computes, inside one side's database, the digest of every bucket of each key range: one
 * grouped query per range returns a row count and two lane sums per bucket, so only aggregates
 * cross the network. Emits one element per range: {@code KV<range, bucket -> Digest>}.
 */
public final class SqlBucketDigests
    extends PTransform<PCollection<KeyRange>, PCollection<KV<Integer, Map<Long, Digest>>>> {
  private final ReconcileSide side;
  private final PushdownPlan plan;
  private final Bucketing bucketing;

  private SqlBucketDigests(ReconcileSide side, PushdownPlan plan, Bucketing bucketing) {
    this.side = side;
    this.plan = plan;
    this.bucketing = bucketing;
  }

  static SqlBucketDigests of(ReconcileSide side, PushdownPlan plan, Bucketing bucketing) {
    return new SqlBucketDigests(side, plan, bucketing);
  }

  @Override
  public PCollection<KV<Integer, Map<Long, Digest>>> expand(PCollection<KeyRange> ranges) {
    return ranges.apply("ChecksumInDatabase", ParDo.of(new ChecksumFn(side, plan, bucketing)))
        .setCoder(ReadDigests.rangeDigestsCoder());
  }

  private static final class ChecksumFn extends DoFn<KeyRange, KV<Integer, Map<Long, Digest>>> {
    private final ReconcileSide side;
    private final PushdownPlan plan;
    private final Bucketing bucketing;
    private final Counter rowsChecksummed;
    private transient KeyPredicates keys;

    ChecksumFn(ReconcileSide side, PushdownPlan plan, Bucketing bucketing) {
      this.side = side;
      this.plan = plan;
      this.bucketing = bucketing;
      this.rowsChecksummed = Metrics.counter(ReconcileFacts.NAMESPACE,
          side.role() + "RowsChecksummedInDatabase");
    }

    @Setup
    public void setup() {
      keys = new KeyPredicates(side.dialect(), side.rangeKeyColumns());
    }

    @ProcessElement
    public void process(@Element KeyRange range, OutputReceiver<KV<Integer, Map<Long, Digest>>> out)
        throws SQLException {
      try (Connection c = connectReadOnly(side)) {
        Map<Long, Digest> buckets = checksum(c, side, plan, bucketing, keys, range);
        buckets.values().forEach(d -> rowsChecksummed.inc(d.count()));
        out.output(KV.of(range.index(), buckets));
      }
    }
  }

  /** A read-only connection to {@code side}, for its checksum queries. */
  static Connection connectReadOnly(ReconcileSide side) throws SQLException {
    Connection c = side.endpoint().connect(JdbcEndpoint.Role.SOURCE);
    try {
      c.setReadOnly(true);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Runs the grouped checksum query of {@code range} on {@code side} over {@code c}: bucket to
   * digest, in bucket order. {@code keys} are the side's range key predicates.
   */
  static Map<Long, Digest> checksum(Connection c, ReconcileSide side, PushdownPlan plan,
      Bucketing bucketing, KeyPredicates keys, KeyRange range) throws SQLException {
    Dialect d = side.dialect();
    List<Object> params = new ArrayList<>();
    String sql = plan.digestQuery(side, bucketing, range.nullKeys(), keys.range(range, params));
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        KeyBinding.bind(ps, i + 1, params.get(i), d);
      }
      Map<Long, Digest> buckets = new TreeMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          buckets.put(rs.getLong(1), plan.bucketDigest(side, rs));
        }
      }
      return buckets;
    } catch (SQLException e) {
      throw new SQLException("checksumming " + side.role() + " " + side.displayName() + " "
          + range + " at " + side.endpoint() + " failed: "
          + side.endpoint().redact(e.getMessage()), e.getSQLState(), e.getErrorCode());
    }
  }
}
