package dev.ferry.reconcile;

import dev.ferry.digest.Bucketing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The WHERE clauses that select one side's rows of a {@link RangeSelection}: its key range,
 * and of that range only the selected buckets, a bounded number of buckets per query.
 */
final class SelectionQueries {
  // Buckets per query: keeps statements short while still reading most buckets per range scan.
  private static final int BUCKETS_PER_QUERY = 200;

  /** One WHERE clause and its parameters. */
  static final class Query {
    final String where;
    final List<Object> params;

    Query(String where, List<Object> params) {
      this.where = where;
      this.params = params;
    }
  }

  private final KeyPredicates keys;
  private final Bucketing bucketing;
  private final String hashBucketSql;

  /**
   * @param hashBucketSql the SQL that computed hash buckets on this side (null for value
   *     buckets, which are selected by key ranges)
   */
  SelectionQueries(KeyPredicates keys, Bucketing bucketing, String hashBucketSql) {
    this.keys = keys;
    this.bucketing = bucketing;
    this.hashBucketSql = hashBucketSql;
  }

  List<Query> of(RangeSelection selection) {
    List<Query> queries = new ArrayList<>();
    long[] buckets = selection.buckets();
    // Keys with a NULL have no bucket order: their range is always read whole.
    if (buckets == null || selection.range().nullKeys()) {
      List<Object> params = new ArrayList<>();
      queries.add(new Query(keys.range(selection.range(), params), params));
      return queries;
    }
    for (int from = 0; from < buckets.length; from += BUCKETS_PER_QUERY) {
      long[] part = Arrays.copyOfRange(buckets, from, Math.min(buckets.length,
          from + BUCKETS_PER_QUERY));
      List<Object> params = new ArrayList<>();
      String where = keys.range(selection.range(), params);
      queries.add(new Query(where + " AND (" + bucketFilter(part, params) + ")", params));
    }
    return queries;
  }

  private String bucketFilter(long[] buckets, List<Object> params) {
    if (bucketing.byValue()) {
      return keys.inValueBuckets(bucketing, buckets, params);
    }
    if (hashBucketSql == null) {
      throw new IllegalStateException("reading hash buckets needs the SQL that computed them");
    }
    StringBuilder in = new StringBuilder(hashBucketSql).append(" IN (");
    for (int i = 0; i < buckets.length; i++) {
      in.append(i == 0 ? "" : ", ").append(buckets[i]);
    }
    return in.append(')').toString();
  }
}
