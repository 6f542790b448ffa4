package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import dev.ferry.digest.Digest;
import dev.ferry.digest.RowCanonicalizer;
import dev.ferry.digest.RowDigest;
import dev.ferry.map.MappingException;
import dev.ferry.plan.KeyRange;
import dev.ferry.record.KeyCodec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.KV;

/**
 * Reads one side's rows of a key range (or of some of its buckets) and turns each into its
 * canonical key and digest, summing the digest of every bucket as the rows stream by. On the
 * source, rows are mapped first; a row the mapping rejects is digested with the rejecting
 * column, keyed by its key as copied, so it is reported instead of dropped. Created per DoFn
 * instance; not serializable.
 */
final class RangeReader {
  /** What reading a selection produced besides its rows. */
  static final class Result {
    long rows;
    long rejected;
    final Map<Long, Digest> buckets = new TreeMap<>();

    Digest total() {
      return buckets.values().stream().reduce(Digest.empty(), Digest::plus);
    }
  }

  private final ReconcileSide side;
  private final RowCanonicalizer canonicalizer;
  private final Bucketing bucketing;
  private final SelectionQueries queries;
  private final int fetchSize;
  private final RowReader reader;
  private final KeyPredicates keys;
  private final SideConnections connections;
  private KeyLookup lookup;

  /** Reads over {@code connections} (null: a connection of its own per read). */
  RangeReader(ReconcileSide side, RowCanonicalizer canonicalizer, Bucketing bucketing,
      String hashBucketSql, int fetchSize, SideConnections connections) {
    this.side = side;
    this.canonicalizer = canonicalizer;
    this.bucketing = bucketing;
    this.fetchSize = fetchSize;
    this.connections = connections;
    this.reader = new RowReader(side, connections);
    this.keys = new KeyPredicates(side.dialect(), side.rangeKeyColumns());
    this.queries = new SelectionQueries(keys, bucketing, hashBucketSql);
  }

  Result read(RangeSelection selection, Consumer<KV<String, RowDigest>> sink) throws Exception {
    int range = selection.range().index();
    Result result = new Result();
    RowReader.Sink rows = values -> {
      KV<String, RowDigest> row = digest(values, range, result);
      result.buckets.merge(row.getValue().bucket(), row.getValue().asDigest(), Digest::plus);
      sink.accept(row);
    };
    for (SelectionQueries.Query q : queries.of(selection)) {
      result.rows += reader.read(q.where, q.params, fetchSize, rows);
    }
    return result;
  }

  /**
   * Opens {@code range}'s rows sorted by the range key in binary order, digested one by one as
   * the caller pulls them.
   */
  SortedRows sorted(KeyRange range) throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = keys.range(range, params);
    return new SortedRows(reader.open(where, params, keys.orderBy(), fetchSize), range.index());
  }

  /** A range's rows in key order: each row's canonical key, digest and range key as read. */
  final class SortedRows implements SortedMerge.Rows<RowDigest>, AutoCloseable {
    private final RowReader.Cursor cursor;
    private final int range;
    final Result result = new Result();
    private Object[] values;
    private KV<String, RowDigest> current;

    private SortedRows(RowReader.Cursor cursor, int range) {
      this.cursor = cursor;
      this.range = range;
    }

    @Override
    public boolean next() throws SQLException {
      values = cursor.next();
      if (values == null) {
        return false;
      }
      current = digest(values, range, result);
      result.rows++;
      result.buckets.merge(current.getValue().bucket(), current.getValue().asDigest(),
          Digest::plus);
      return true;
    }

    @Override
    public Object[] rangeKey() {
      return side.rangeKeyOf(values);
    }

    @Override
    public String key() {
      return current.getKey();
    }

    @Override
    public RowDigest row() {
      return current.getValue();
    }

    @Override
    public void close() throws SQLException {
      cursor.close();
    }
  }

  /**
   * The rows whose compared key is one of {@code keyValues} (in key order, as
   * {@link RowCanonicalizer#decodeKey} returns them), digested as rows of {@code range}.
   */
  List<KV<String, RowDigest>> byKeys(List<Object[]> keyValues, int range) throws Exception {
    if (lookup == null) {
      lookup = new KeyLookup(side, connections);
    }
    Result ignored = new Result();
    List<KV<String, RowDigest>> rows = new ArrayList<>();
    for (Object[] values : lookup.readRows(keyValues)) {
      rows.add(digest(values, range, ignored));
    }
    return rows;
  }

  private KV<String, RowDigest> digest(Object[] values, int range, Result result) {
    try {
      return canonicalizer.digest(side.toCompared(values), range, bucketing);
    } catch (MappingException e) {
      result.rejected++;
      Object[] key = side.comparedKeyOf(values);
      String column = e.column() == null ? "" : e.column();
      if (key != null) {
        return canonicalizer.rejected(key, range, bucketing, column);
      }
      // The key is computed by the rejected mapping: name the row by its source key.
      String sourceKey = KeyCodec.readable(side.relation().keyColumns(), side.rangeKeyOf(values));
      return canonicalizer.rejected("!" + sourceKey, range, bucketing, column);
    }
  }
}
