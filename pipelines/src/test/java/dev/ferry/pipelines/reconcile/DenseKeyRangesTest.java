package dev.ferry.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Dialect;
import dev.ferry.plan.KeyRange;
import dev.ferry.plan.SourceRelation;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenseKeyRangesTest {
  private static final SourceRelation T = SourceRelation.table(List.of("t"), List.of("id"));

  @Test
  void denseKeysAreSplitByWidthWithoutCounting() throws Exception {
    for (TestDatabase db : List.of(EmbeddedDatabases.newPostgres(),
        EmbeddedDatabases.newMariaDb())) {
      Dialect d = db.engine() == TestDatabase.Engine.POSTGRESQL ? Dialect.POSTGRESQL
          : Dialect.MYSQL;
      db.execute("create table t(id bigint primary key, v int)");
      // 1..1000 but 991..1000: 990 keys over a span of 1000.
      db.execute(d == Dialect.POSTGRESQL
          ? "insert into t select g, g from generate_series(1, 990) g"
          : "insert into t with recursive n(g) as (select 1 union all select g + 1 from n"
              + " where g < 990) select g, g from n");
      db.execute("insert into t values (1000, 0)");
      db.execute(d == Dialect.POSTGRESQL ? "analyze t" : "analyze table t");
      try (Connection c = db.connect()) {
        List<KeyRange> ranges = DenseKeyRanges.plan(c, d, T, 4, false);
        assertEquals(4, ranges.size(), db.name());
        assertNull(ranges.get(0).lower(), "open below");
        assertArrayEquals(new Object[] {251L}, ranges.get(0).upper(), db.name());
        assertArrayEquals(new Object[] {251L}, ranges.get(1).lower());
        assertArrayEquals(new Object[] {751L}, ranges.get(3).lower());
        assertNull(ranges.get(3).upper(), "open above");
        assertTrue(ranges.get(0).estimatedRows() > 0);
        List<KeyRange> withNulls = DenseKeyRanges.plan(c, d, T, 4, true);
        assertEquals(5, withNulls.size());
        assertTrue(withNulls.get(4).nullKeys(), "a nullable key keeps its NULL-key range");
      }
    }
  }

  @Test
  void sparseOrUnknownKeysAreLeftToThePlanner() throws Exception {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("create table t(id bigint primary key, v int)");
    db.execute("insert into t select g, g from generate_series(1, 500) g");
    try (Connection c = db.connect()) {
      assertNull(DenseKeyRanges.plan(c, Dialect.POSTGRESQL, T, 4, false),
          "never analyzed: no estimate, the planner counts");
      db.execute("insert into t values (1000000, 0)");
      db.execute("analyze t");
      assertNull(DenseKeyRanges.plan(c, Dialect.POSTGRESQL, T, 4, false),
          "one outlier key: 501 keys over a span of a million");
      assertNull(DenseKeyRanges.plan(c, Dialect.POSTGRESQL,
          SourceRelation.query("select * from t", List.of("id")), 4, false), "a query");
    }
  }
}
