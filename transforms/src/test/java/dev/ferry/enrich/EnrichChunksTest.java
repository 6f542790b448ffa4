package dev.ferry.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.JdbcEndpoint;
import dev.ferry.map.LookupRule;
import dev.ferry.record.Chunk;
import dev.ferry.record.ChunkCoder;
import dev.ferry.record.Column;
import dev.ferry.record.DeadLetter;
import dev.ferry.record.Layout;
import dev.ferry.record.Record;
import dev.ferry.testing.EmbeddedDatabases;
import dev.ferry.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enrichment of orders with a phone number from email_lookup by email, by side input and by
 * CoGroupByKey, against a real PostgreSQL lookup table: both strategies give the same rows, rows
 * without a match get NULL (or are dead-lettered when the lookup is required), and a key with
 * disagreeing matches is never resolved by picking one.
 */
class EnrichChunksTest {
  private static final Layout ROWS = new Layout(List.of(
      new Column("id", Types.BIGINT, "int8", 19, 0, false),
      new Column("email", Types.VARCHAR, "text", 0, 0, true)));
  private static JdbcEndpoint lookupDb;

  @BeforeAll
  static void lookupTable() {
    TestDatabase db = EmbeddedDatabases.newPostgres();
    db.execute("CREATE TABLE email_lookup (id serial PRIMARY KEY, email text, phone text)",
        "INSERT INTO email_lookup (email, phone) VALUES ('a@x', '111'), ('b@x', '222'),"
            + " ('dup@x', '333'), ('dup@x', '444'), ('same@x', '555'), ('same@x', '555'),"
            + " (NULL, '999')");
    lookupDb = new JdbcEndpoint(db.jdbcUrl(), db.user(), db.password());
  }

  /** Two chunks of one range: ids 1-3 and 4-6. */
  private static List<Chunk> orders() {
    List<Record> first = List.of(Record.of(1L, "a@x"), Record.of(2L, "c@x"),
        Record.of(3L, null));
    List<Record> second = List.of(Record.of(4L, "dup@x"), Record.of(5L, "same@x"),
        Record.of(6L, "b@x"));
    return List.of(new Chunk(0, 1, false, "k3", 3, first, first, List.of()),
        new Chunk(0, 2, true, "k6", 3, second, second, List.of()));
  }

  private static LookupRule phoneByEmail() {
    return LookupRule.table("email_lookup").on("email").fill(LookupRule.Output.named("phone"));
  }

  /** Every output row as "id=phone" and every dead letter as "id:column:error", sorted. */
  private static List<String> run(LookupRule rule, Lookup.Strategy strategy) throws Exception {
    Lookup lookup = Lookup.compile(rule, ROWS, ReadLookupTable.describe(lookupDb,
        List.of("email_lookup")));
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Chunk> out = p.apply(Create.of(orders()).withCoder(ChunkCoder.of()))
        .apply(EnrichChunks.with(lookup, ReadLookupTable.plan(lookupDb,
            List.of("email_lookup"), lookup, 3), ROWS, List.of("id"), "orders")
            .withStrategy(strategy));
    List<String> seen = new ArrayList<>();
    PAssert.that(out).satisfies(chunks -> {
      TreeSet<String> all = new TreeSet<>();
      for (Chunk c : chunks) {
        assertEquals(c.source().size(), c.target().size());
        for (Record r : c.target()) {
          assertEquals(3, r.size(), "phone is added to the row");
          all.add(r.get(0) + "=" + r.get(2));
        }
        for (DeadLetter d : c.rejected()) {
          all.add(d.key() + ":" + d.column() + ":" + d.error());
        }
      }
      // PAssert runs the check in the pipeline; hand the result back through a static list.
      Results.put(strategy, List.copyOf(all));
      return null;
    });
    p.run().waitUntilFinish();
    seen.addAll(Results.take(strategy));
    return seen;
  }

  @Test
  void sideInputAndJoinGiveTheSameRows() throws Exception {
    List<String> bySideInput = run(phoneByEmail(), Lookup.Strategy.SIDE_INPUT);
    List<String> byJoin = run(phoneByEmail(), Lookup.Strategy.JOIN);
    assertEquals(bySideInput, byJoin);
    assertEquals(List.of("1=111", "2=null", "3=null", "5=555", "6=222",
        "{\"id\":4}:phone:table orders, lookup email_lookup: 2 rows match {\"email\":\"dup@x\"}"
            + " with different values for [phone]; ferry does not pick one"), byJoin);
  }

  @Test
  void requiredLookupDeadLettersRowsWithoutMatch() throws Exception {
    LookupRule rule = phoneByEmail().required(true);
    List<String> byJoin = run(rule, Lookup.Strategy.JOIN);
    assertEquals(run(rule, Lookup.Strategy.SIDE_INPUT), byJoin);
    assertTrue(byJoin.contains("{\"id\":2}:phone:table orders, lookup email_lookup: no row"
        + " matches {\"email\":\"c@x\"} and [phone] is required"), byJoin.toString());
    assertTrue(byJoin.contains("{\"id\":3}:phone:table orders, lookup email_lookup: no row"
        + " matches {\"email\":null} and [phone] is required"), byJoin.toString());
    assertTrue(byJoin.containsAll(List.of("1=111", "5=555", "6=222")), byJoin.toString());
  }

  @Test
  void disagreeingMatchesFailTheJobWhenAsked() {
    LookupRule rule = phoneByEmail().onMultiple("fail");
    for (Lookup.Strategy strategy : Lookup.Strategy.values()) {
      Exception e = assertThrows(Exception.class, () -> run(rule, strategy));
      String message = String.valueOf(e.getMessage());
      assertTrue(message.contains("table orders, row {\"id\":4}: lookup email_lookup: 2 rows match"
          + " {\"email\":\"dup@x\"} with different values for [phone]"), message);
    }
  }

  @Test
  void mistakesInTheRuleFailBeforeAnyRowIsRead() throws Exception {
    Layout lookupColumns = ReadLookupTable.describe(lookupDb, List.of("email_lookup"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        Lookup.compile(LookupRule.table("email_lookup").on("mail")
            .fill(LookupRule.Output.named("phone")), ROWS, lookupColumns));
    assertEquals("lookup email_lookup: no column 'mail' among [id, email]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Lookup.compile(phoneByEmail()
        .fill(LookupRule.Output.named("mobile")), ROWS, lookupColumns));
    assertEquals("lookup email_lookup: no column 'mobile' among [id, email, phone]",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Lookup.compile(phoneByEmail()
        .onMultiple("first"), ROWS, lookupColumns));
    assertEquals("lookup email_lookup: onMultiple must be deadLetter or fail, not 'first'",
        e.getMessage());
  }

  @Test
  void equalNumbersOfDifferentTypesJoin() {
    String key = JoinKey.of(new Object[] {42L, "x"});
    assertEquals(key, JoinKey.of(new Object[] {42, "x"}));
    assertEquals(key, JoinKey.of(new Object[] {new BigDecimal("42.000"), "x"}));
    assertEquals(JoinKey.of(new Object[] {new BigDecimal("1.5")}),
        JoinKey.of(new Object[] {new BigDecimal("1.50")}));
    assertEquals(null, JoinKey.of(new Object[] {42L, null}));
  }

  /** Results of PAssert checks, which run inside the pipeline, by strategy. */
  private static final class Results {
    private static final java.util.Map<Lookup.Strategy, List<String>> BY_STRATEGY =
        new java.util.concurrent.ConcurrentHashMap<>();

    static void put(Lookup.Strategy s, List<String> rows) {
      BY_STRATEGY.put(s, rows);
    }

    static List<String> take(Lookup.Strategy s) {
      return BY_STRATEGY.remove(s);
    }
  }
}
